/**
 * A text field for a number that applies on Enter or blur (Escape undoes the edit), so a
 * half-typed value never reaches the model; it follows the value when it changes elsewhere.
 */
import { useEffect, useState } from 'react';

export function useCommittedText(value: number, onCommit: (raw: string) => void) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return {
    text,
    setText,
    inputProps: {
      value: text,
      onChange: (e: { target: { value: string } }) => setText(e.target.value),
      onBlur: () => text !== String(value) && onCommit(text),
      onKeyDown: (e: { key: string }) => {
        if (e.key === 'Enter') onCommit(text);
        if (e.key === 'Escape') setText(String(value));
      },
    },
  };
}
