import { moduleError } from '@pujiang/module-kit';

/** Metadata is shown to people and used as search keys: no control characters, well-formed UTF-16. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkText(field: string, text: string, nonEmpty = false): void {
  if ((nonEmpty && text.length === 0) || CONTROL.test(text) || !text.isWellFormed())
    throw moduleError(
      'NOTARY_BAD_TEXT',
      `${field} must be ${nonEmpty ? 'non-empty ' : ''}text without control characters`,
      {
        field,
      },
    );
}
