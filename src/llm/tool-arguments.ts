import { LlmError } from './contract.js';

/** Parses the JSON text a model produced as a tool's arguments; an empty text means no arguments. */
export function parseToolArguments(
  providerId: string,
  toolId: string,
  json: string,
): Record<string, unknown> {
  if (json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new LlmError(
      'bad_response',
      providerId,
      `arguments of tool call "${toolId}" are not JSON: ${json}`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LlmError(
      'bad_response',
      providerId,
      `arguments of tool call "${toolId}" are not a JSON object`,
    );
  }
  return value as Record<string, unknown>;
}
