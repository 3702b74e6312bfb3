/** Under a field: why a value was refused or changed, and a warning that holds while a value is in force. */
import type { FieldMessage } from './useCommittedText';

export function FieldNotes({ message, caution, cautionId }: { message: FieldMessage | null; caution?: string | null; cautionId: string }) {
  return (
    <>
      {message ? (
        <p id={message.id} className={message.refused ? 'field-message field-refused' : 'field-message'} role={message.refused ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      {caution ? (
        <p id={cautionId} className="field-caution">
          {caution}.
        </p>
      ) : null}
    </>
  );
}
