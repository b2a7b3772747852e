export { createHttpApi, type HttpApiOptions } from './http/api.js';
export { type RunningServer, startHttpServer } from './http/server.js';
export { TelegramChannel, type TelegramChannelOptions } from './telegram/telegram-channel.js';
