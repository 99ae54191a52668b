/**
 * Amounts as offline exports write them. Which of `,` and `.` separates the
 * decimals depends on the locale, and "1,234" reads both ways; so a file's
 * convention is a setting (`--decimal-comma`), and a value that the setting
 * does not settle is refused, never guessed.
 *
 * Decimal point (the default): `1234.5`, `1,234.50` and `1,234,567` are read;
 * `1,234` (one group of three and no decimal point: a thousand, or one with a
 * decimal comma?) and any other comma (`12,50`, `1.234,50`) are refused.
 * Decimal comma: `1234,5`, `1.234,50`, `1.234` and `1.234.567` are read; a
 * point that does not separate groups of three (`12.50`) is refused.
 */
import { ok, reject, type Result } from '../result.js';

export interface AmountNotation {
  /** The file writes `1.234,50`: `,` before the decimals, `.` between thousands. */
  decimalComma: boolean;
}

type Problem = 'ambiguous' | 'other-notation' | 'not-a-number';
type Reading = { amount: number } | { problem: Problem };

const SEPARATORS = {
  point: { decimal: '.', group: ',', plain: /^-?\d+(\.\d+)?$/, grouped: /^-?\d{1,3}(,\d{3})+(\.\d+)?$/ },
  comma: { decimal: ',', group: '.', plain: /^-?\d+(,\d+)?$/, grouped: /^-?\d{1,3}(\.\d{3})+(,\d+)?$/ },
};

export function parseAmount(text: string, notation: AmountNotation = { decimalComma: false }): Result<number> {
  const reading = readAmount(text.replace(/\s/g, ''), notation.decimalComma);
  if ('amount' in reading) return ok(reading.amount);
  return reject('TP_INVALID_EVENT', explain(text, reading.problem, notation.decimalComma));
}

function readAmount(text: string, decimalComma: boolean): Reading {
  const own = SEPARATORS[decimalComma ? 'comma' : 'point'];
  const other = SEPARATORS[decimalComma ? 'point' : 'comma'];
  const read = () => ({ amount: Number(text.split(own.group).join('').replace(own.decimal, '.')) });
  if (own.plain.test(text)) return read();
  const groups = own.grouped.exec(text);
  if (groups) {
    // "1,234": the one reading the default cannot settle.
    const oneGroupNoDecimals = !decimalComma && groups[2] === undefined && text.split(own.group).length === 2;
    return oneGroupNoDecimals ? { problem: 'ambiguous' } : read();
  }
  if (other.plain.test(text) || other.grouped.test(text)) return { problem: 'other-notation' };
  return { problem: 'not-a-number' };
}

function explain(text: string, problem: Problem, decimalComma: boolean): string {
  const shown = JSON.stringify(text);
  switch (problem) {
    case 'ambiguous':
      return `${shown} reads as a thousand-something or, with a decimal comma, as a number with three decimals. If the file writes decimal commas (12,50), import it with --decimal-comma; otherwise write the amount without the comma (1234) or with its decimals (1,234.00).`;
    case 'other-notation':
      return decimalComma
        ? `${shown} is written with a decimal point (as 1,234.50 is), but with --decimal-comma "." only separates thousands (1.234,50). Write it so, or import without --decimal-comma.`
        : `${shown} is written with a decimal comma (as 1.234,50 is). If the file writes decimal commas, import it with --decimal-comma; without it, "," only separates thousands (1,234.50).`;
    case 'not-a-number':
      return `${shown} is not an amount: write 1234.50 (or 1234,50 with --decimal-comma).`;
  }
}
