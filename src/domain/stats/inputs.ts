/** Input checks shared by the stats formulas: bad numbers fail loudly instead of turning into NaN. */
import { DomainError } from '../errors.js';

/** Agents must be a whole, non-negative count. */
export function requireAgents(agents: number): void {
  if (!Number.isInteger(agents) || agents < 0) {
    throw new DomainError('VALIDATION_FAILED', 'agents must be a non-negative integer', { agents });
  }
}

/** A finite number ≥ 0. */
export function requireNonNegative(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be a finite number ≥ 0`, { [field]: value });
  }
}

/** A finite number > 0. */
export function requirePositive(field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be a finite number > 0`, { [field]: value });
  }
}
