/**
 * A text field for a number that applies on Enter or blur (Escape undoes the edit), so a
 * half-typed value never reaches the model; it follows the value when it changes elsewhere. A
 * refused value goes back to the value in force and the field says why next to it (with
 * aria-invalid and aria-describedby while it shows); a clamped one shows what it became.
 */
import { useEffect, useId, useState } from 'react';
import type { Checked } from '../../core/settings/spec';

export interface FieldMessage {
  id: string;
  text: string;
  /** The value was refused (the field is invalid until the next commit). */
  refused: boolean;
}

export function useCommittedText(value: number, onCommit: (raw: string) => Checked<unknown>) {
  const [text, setText] = useState(String(value));
  const [message, setMessage] = useState<Omit<FieldMessage, 'id'> | null>(null);
  const id = useId();
  useEffect(() => setText(String(value)), [value]);
  const commit = (raw: string) => {
    const outcome = onCommit(raw);
    if (!outcome.ok) {
      setText(String(value));
      setMessage({ text: `${outcome.message}. Kept ${value}.`, refused: true });
      return;
    }
    // a clamped value may equal the one in force: the field must show it all the same
    setText(String(outcome.value));
    setMessage(outcome.message ? { text: `${outcome.message}.`, refused: false } : null);
  };
  return {
    text,
    setText,
    message: message ? { ...message, id: `${id}-message` } : null,
    inputProps: {
      value: text,
      'aria-invalid': message?.refused ? true : undefined,
      onChange: (e: { target: { value: string } }) => setText(e.target.value),
      onBlur: () => text !== String(value) && commit(text),
      onKeyDown: (e: { key: string }) => {
        if (e.key === 'Enter') commit(text);
        if (e.key === 'Escape') setText(String(value));
      },
    },
  };
}

/** The ids an input is described by: its message and its caution, when shown. */
export function describedBy(...ids: (string | null | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => Boolean(id));
  return present.length ? present.join(' ') : undefined;
}
