/** Who sent a turn's message, as its channel recorded it on `user.message`. */
export interface MessageSender {
  channel?: string;
  externalUserId?: string;
}

/**
 * The scope of memories about one person: `user:<channel>:<their id there>` (`user:telegram:42`). None
 * when the channel does not say who sent the message, so no one reads another person's memories.
 */
export function userScopeOf(sender: MessageSender): string | undefined {
  return sender.channel && sender.externalUserId
    ? `user:${sender.channel}:${sender.externalUserId}`
    : undefined;
}

/** What a turn of `agentId` may remember: every agent's memories, its own, and its sender's. */
export function turnScopes(agentId: string, sender: MessageSender): string[] {
  const user = userScopeOf(sender);
  return ['global', `agent:${agentId}`, ...(user ? [user] : [])];
}
