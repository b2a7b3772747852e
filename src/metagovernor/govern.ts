import { canonicalJson, type StoredEvent } from '../core/index.js';
import type { Budget, GovernorConfig } from '../registry/index.js';
import { type Directive, type DirectiveName, issuedDirectives } from './directive.js';
import { readSignals, type ToolRisk, type TurnSignals } from './signals.js';

export interface GovernInput {
  /** The turn's events, from `turn.started` on. */
  events: readonly StoredEvent[];
  config: GovernorConfig;
  tool(name: string): ToolRisk | undefined;
  budget?: Budget;
}

/**
 * The directives a turn's signals call for that the turn has not been given yet, to be recorded as
 * `directive.issued` before the brain decides its next step. A pure function of the events, so a
 * resumed turn is governed exactly as it was.
 */
export function governTurn(input: GovernInput): Directive[] {
  const { config, events } = input;
  if (!config.enabled) return [];
  const issued = new Set(issuedDirectives(events).map((directive) => directive.directive));
  if (issued.has('stop')) return [];
  const signals = readSignals(events, input.tool, input.budget);
  const wanted = (name: DirectiveName) => !issued.has(name);
  const stop = wanted('stop') && stopReason(signals, config);
  if (stop) return [stop];
  const directives: Directive[] = [];
  const readOnly = wanted('disable_risky_tools') && readOnlyReason(signals, config);
  if (readOnly) directives.push(readOnly);
  if (wanted('ask_human') && signals.risk >= config.askHumanAtRisk) {
    directives.push({
      directive: 'ask_human',
      signal: 'risk',
      reason: `the turn's risk reached ${signals.risk} (askHumanAtRisk ${config.askHumanAtRisk}): writes, deletions, network use and failures add up`,
    });
  }
  const validate = wanted('require_validation') && validationReason(signals, config);
  if (validate) directives.push(validate);
  return directives;
}

function stopReason(signals: TurnSignals, config: GovernorConfig): Directive | undefined {
  if (signals.failures >= config.stopAfterFailures) {
    return {
      directive: 'stop',
      signal: 'failures',
      reason: `${signals.failures} tool calls failed in this turn (stopAfterFailures ${config.stopAfterFailures})`,
    };
  }
  if (signals.budgetShare >= config.stopAtBudget) {
    return {
      directive: 'stop',
      signal: 'budget',
      reason: budgetText(signals, config.stopAtBudget, 'stopAtBudget'),
    };
  }
  return undefined;
}

function readOnlyReason(signals: TurnSignals, config: GovernorConfig): Directive | undefined {
  if (signals.lastCall && signals.repeats >= config.readOnlyAfterRepeats) {
    const { tool, input } = signals.lastCall;
    return {
      directive: 'disable_risky_tools',
      signal: 'repeats',
      reason: `the model called ${tool} ${canonicalJson(input)} ${signals.repeats} times in a row (readOnlyAfterRepeats ${config.readOnlyAfterRepeats})`,
    };
  }
  if (signals.budgetShare >= config.readOnlyAtBudget) {
    return {
      directive: 'disable_risky_tools',
      signal: 'budget',
      reason: budgetText(signals, config.readOnlyAtBudget, 'readOnlyAtBudget'),
    };
  }
  return undefined;
}

function validationReason(signals: TurnSignals, config: GovernorConfig): Directive | undefined {
  if (signals.failures >= config.validateAfterFailures) {
    return {
      directive: 'require_validation',
      signal: 'failures',
      reason: `${signals.failures} tool calls failed in this turn (validateAfterFailures ${config.validateAfterFailures})`,
    };
  }
  if (config.validateUncertainAnswers && signals.uncertainAnswer) {
    return {
      directive: 'require_validation',
      signal: 'uncertainty',
      reason: `the model said "${signals.uncertainAnswer}"`,
    };
  }
  return undefined;
}

function budgetText(signals: TurnSignals, threshold: number, key: string): string {
  const percent = Math.floor(signals.budgetShare * 100);
  return `the turn spent ${percent}% of its per-turn budget (${signals.spent.tokens} tokens, $${signals.spent.costUsd.toFixed(4)}; ${key} ${threshold})`;
}
