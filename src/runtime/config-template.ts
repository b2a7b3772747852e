/** The commented config.yaml that `pyclaw init` writes. Every key shown is the default. */
export const configTemplate = `# PyClaw configuration. Edit, then run \`pyclaw doctor\` to check it.
# Secrets are referenced, never written here: \${env:NAME} reads an environment variable,
# secret:NAME reads PYCLAW_HOME/secrets (a NAME=value file that must be chmod 600).

storage:
  # normal: a crash of PyClaw loses nothing committed; a power loss may lose the last moments.
  # full:   every commit is fsynced, so it survives power loss too (slower appends).
  durability: normal

logging:
  # debug | info | warn | error; logs go to PYCLAW_HOME/logs/pyclaw.log, secrets redacted
  level: info

# Model providers, each under an id of your choice (uncomment what you use). Check one with \`pyclaw llm test --provider <id>\`.
# Every provider also takes timeoutMs (60000), maxAttempts (3), initialDelayMs (500), maxDelayMs (30000).
# providers:
#  openai:
#    kind: openai
#    apiKey: \${env:OPENAI_API_KEY}
#  ollama:                      # any OpenAI-compatible server: Ollama, vLLM, LM Studio, llama.cpp, OpenRouter
#    kind: openai
#    baseURL: http://127.0.0.1:11434/v1
#  claude:
#    kind: anthropic
#    apiKey: \${env:ANTHROPIC_API_KEY}
#  cortensor:                   # a Cortensor router node
#    kind: cortensor
#    baseUrl: http://127.0.0.1:5010
#    apiKey: secret:cortensor_token
#    sessionId: 1
#  gguf:                        # a local model, run in-process (npm install node-llama-cpp)
#    kind: local
#    modelUri: hf:owner/repo/model.gguf   # or modelPath: /path/to/model.gguf

# Agents, by id; \`pyclaw agents list\` shows them and \`pyclaw agents add <id>\` adds one.
# Each also takes skills ([*]: the skill names or globs it may draw on), limits (maxSteps 12,
# maxToolCalls 24, maxWallTimeMs 600000, maxRepeats 3), verify (false), reflect (false) and governor
# (enabled true, askHumanAtRisk 6, validateAfterFailures 2, stopAfterFailures 6, readOnlyAfterRepeats 2,
# readOnlyAtBudget 0.8, stopAtBudget 0.95, validateUncertainAnswers true): see the README's metagovernor.
agents:
  default:
    name: PyClaw
    # Who the agent is; a change here is recorded as a new identity version.
    identity:
      role: a helpful assistant working on the user's own machine
      style: concise and direct; say what you did and what you found
      constraints: []
      # cautious | balanced | bold: how readily it acts without asking
      riskPosture: cautious
    # Tool ids or globs (fs.*) the agent may use.
    tools:
      - fs.read
      - fs.list
    # Models per tier (fast, default, strong); a missing tier uses default. An agent without models
    # cannot run: \`pyclaw init\` offers the providers it detects and sets one here.
    # models:
    #  default: { provider: openai, model: gpt-4.1-mini, fallbacks: [{ provider: ollama, model: llama3.1 }] }
    #  strong: { provider: claude, model: claude-sonnet-4-5 }
    #  budget: { perTurn: { tokens: 200000 }, perDay: { costUsd: 5 } }

# Tool policy: rules map a tool id or glob (fs.*) to allow | ask | deny; deny beats ask beats allow.
# A rule may also match arguments: command (a prefix, e.g. "git status"), path (a glob over real paths,
# e.g. "~/notes/**") or domain (example.com and its subdomains), and carry match / not_match example
# calls that are checked when this file loads. Approving with --for 15m, --session or --always grants
# calls like it (\`pyclaw grants list|revoke\`); no grant beats a deny.
# Without a matching rule, read-only tools run and everything else asks you first
# (\`pyclaw approvals list\`, then \`pyclaw approvals approve|deny <id>\`).
# policy:
#   rules:
#     - { tool: fs.write, decision: allow }

# Settings of the built-in tools. exec runs a shell command in the workspace with a minimal environment
# (PATH, HOME, USER, LANG, TZ, TERM, TMPDIR and the like); a variable, secret or not, reaches it only when
# env names it: NAME copies it from PyClaw's environment, NAME=value resolves \${env:X} / secret:x in value.
# tools:
#   exec:
#     env: [GIT_AUTHOR_NAME, GH_TOKEN=secret:github_token]
#     timeoutMs: 60000            # a call may ask for up to maxTimeoutMs
#     maxTimeoutMs: 600000
#     maxOutputBytes: 1048576     # kept of stdout and of stderr each; the full output goes to an artifact
#   http:                         # http.fetch: GET/POST; redirects followed by hand, each hop checked
#     timeoutMs: 30000
#     maxTimeoutMs: 120000
#     maxBytes: 5242880           # of a response body
#     maxRedirects: 5

# Hard stops, checked before policy; no rule, grant or approval overrides them. Built in: paths outside the
# workspace (after .. and symlinks) and destructive command shapes (rm -rf of /, ~ or system directories, rm
# outside the workspace, mkfs, dd/redirects onto disks, fork bombs, curl | sh). Domain rules apply to
# http.fetch (every redirect hop too) and to URLs in exec commands: example.com covers its subdomains,
# *.example.com only them; with an allow list, only the hosts on it can be reached.
# safety:
#   domains:
#     allow: []
#     deny: [pastebin.com]
#   commands:
#     deny: ['\\bgit\\s+push\\b.*--force']   # regular expressions over the command line

# Long-term memory (\`pyclaw memory list|search|add|candidates|promote|reject|forget|reembed\`). After
# each turn an agent with reflect: true proposes candidates; \`pyclaw memory promote|reject <id>\` decides, or
# these rules do. Word search (SQLite FTS5) is always on; with embeddings, search ranks by meaning too (after
# changing the embedding model, \`pyclaw memory reembed\`).
# memory:
#   promoteAfter: 3            # a candidate proposed this many times is promoted (0: only by you or a rule)
#   autoPromote:               # candidates promoted as soon as they are proposed
#     - { kind: preference }
#     - { kind: lesson, pattern: "^always " }
#   retrieval:
#     limit: 8                 # memories in a turn's context, at most (its token budget applies too)
#   embeddings:
#     provider: openai         # an OpenAI-compatible provider (kind: openai)
#     model: text-embedding-3-small
#     dimensions: 512

# Remote hosts for the SSH tools (ssh.exec, ssh.systemd.status|start|stop|restart, ssh.journalctl), by name.
# key is a secret reference to the private key; a secrets-file value is one line, so store it base64-encoded:
# echo "web1_key=$(base64 -w0 ~/.ssh/id_ed25519)" >> PYCLAW_HOME/secrets
# The host's key must be in knownHostsFile (check its fingerprint, then ssh-keyscan -p 22 <host> >> that file);
# an unknown or changed host key is refused. Commands are killed after timeoutMs or past maxOutputBytes.
# ssh:
#   timeoutMs: 60000
#   maxOutputBytes: 1048576
#   hosts:
#     web1:
#       host: 10.0.0.5
#       port: 22
#       user: deploy
#       key: secret:web1_key
#       knownHostsFile: ~/.ssh/known_hosts

# MCP servers, each under a name; their tools become mcp.<name>.<tool> (give an agent mcp.<name>.* in its
# tools). A server starts when a turn first needs it and stops with PyClaw; env and headers values may be
# secret references. Tools the server marks read-only run at once, the rest ask first, unless a rule says otherwise.
# mcp:
#   servers:
#     files:                    # a stdio server that PyClaw starts (cwd, if given, is relative to PYCLAW_HOME)
#       command: npx
#       args: [-y, "@modelcontextprotocol/server-filesystem", /home/me/notes]
#       env: { FILES_TOKEN: secret:files_token }
#     remote:                   # a Streamable HTTP server
#       url: https://mcp.example.com/mcp
#       headers: { Authorization: "Bearer \${env:REMOTE_MCP_TOKEN}" }

# Modules that export tools (a \`tools\` array or a default export): paths relative to PYCLAW_HOME, or npm
# packages installed there (\`npm install <name>\` in PYCLAW_HOME).
# plugins:
#   - ./plugins/my-tools.mjs

# The HTTP API that \`pyclaw serve\` hosts. It listens on loopback only unless you change host; every
# /v1 route but /v1/health wants "Authorization: Bearer <token>". Without token, serve generates one and
# keeps it as secret api_token in PYCLAW_HOME/secrets.
# http:
#   host: 127.0.0.1
#   port: 7420
#   token: secret:api_token
#   maxBodyBytes: 1048576

# Telegram: \`pyclaw serve\` talks to your bot by long polling when a token is set. Only the listed
# Telegram user ids may use it (others are told their id so you can add it). Each chat gets its own
# session (/new starts another, /status shows it); approvals arrive as buttons.
# telegram:
#   token: secret:telegram_bot_token
#   allowedUsers: [123456789]
#   agent: default
#   apiRoot: https://api.telegram.org

# The browser tools (browser.open, .snapshot, .click, .type, .text, .screenshot), one tab per session.
# backend auto uses the PinchTab server at pinchtab.url when set, otherwise headless Chromium at
# executablePath driven by playwright-core. Opening pages and clicking or typing ask first by default.
# browser:
#   backend: auto
#   executablePath: /usr/bin/chromium
#   timeoutMs: 15000
#   pinchtab:
#     url: http://127.0.0.1:9867
#     token: secret:pinchtab_token

# Schedules: turns \`pyclaw serve\` runs on a cron pattern, each schedule in one session of its own.
# A planned time runs once, even across restarts; times missed while serve was down are not caught up.
# schedules:
#   morning-report:
#     cron: "0 9 * * 1-5"
#     message: Summarise what changed in this folder since yesterday
#     agent: default
#     timezone: Europe/Berlin

# Delegation: an agent whose tools include agent.delegate hands a task to another agent, which runs it
# in a child session; tasks wait in a durable queue that \`pyclaw a2a work\` also serves.
# a2a:
#   maxDepth: 2
#   maxFanOut: 4
#   leaseSeconds: 60
`;
