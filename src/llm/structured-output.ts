import { z } from 'zod';
import {
  type CompleteOptions,
  type CompletionRequest,
  type CompletionResponse,
  LlmError,
  type Provider,
} from './contract.js';

/**
 * Holds every provider to the structured-output promise: when the request asked for JSON matching a
 * schema and the model answered in text, that text parses and matches, or the call fails `bad_response`.
 */
export function withStructuredOutputCheck<P extends Provider>(provider: P): P {
  return {
    ...provider,
    async complete(request: CompletionRequest, options?: CompleteOptions) {
      const response = await provider.complete(request, options);
      checkStructuredOutput(provider.id, request, response);
      return response;
    },
  };
}

export function checkStructuredOutput(
  providerId: string,
  request: CompletionRequest,
  response: CompletionResponse,
): void {
  if (!request.output || response.toolCalls.length > 0) return;
  let value: unknown;
  try {
    value = JSON.parse(response.text);
  } catch {
    throw new LlmError('bad_response', providerId, `structured output "${request.output.name}" is not JSON`);
  }
  const result = schemaValidator(request.output.schema).safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new LlmError(
      'bad_response',
      providerId,
      `structured output "${request.output.name}" does not match its schema: ${problems.join('; ')}`,
    );
  }
}

const validators = new WeakMap<object, z.ZodType>();

function schemaValidator(schema: Record<string, unknown>): z.ZodType {
  let validator = validators.get(schema);
  if (!validator) {
    validator = toValidator(schema);
    validators.set(schema, validator);
  }
  return validator;
}

/** A schema zod cannot express is still enforced as far as "the answer is JSON". */
function toValidator(schema: Record<string, unknown>): z.ZodType {
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return z.unknown();
  }
}
