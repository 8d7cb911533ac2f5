/*
 * The server names what is wrong with a field in a lower-case fragment ("must not be empty", "is not a
 * valid email address") so that any client can put it after its own name for the field. The dashboard
 * makes a sentence of it: "Name must not be empty." A reason that already reads as a sentence (the
 * dashboard's own checks, "Enter an amount") is shown as it is.
 */

// "Choose a password" names the field by what to do; the sentence needs the thing: "Password must…".
const IMPERATIVE = /^(?:choose|enter|type|pick|set)\s+(?:a|an|the|your)\s+/i;

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The field's label (or name) and the reason as one sentence, unless the reason already is one. */
export function fieldSentence(subject: string, reason: string): string {
  const text = reason.trim();
  if (text === '' || /^\p{Lu}/u.test(text)) return text;
  const noun = capitalised(subject.trim().replace(IMPERATIVE, ''));
  const sentence = noun ? `${noun} ${text}` : capitalised(text);
  return /[.!?…]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** A field path as words, for messages with no label at hand: `new_password` → "New password". */
export function fieldPathWords(path: string): string {
  return capitalised(
    path
      .split('.')
      .map((part) => (/^\d+$/.test(part) ? `#${Number(part) + 1}` : part.replace(/_/g, ' ')))
      .join(' '),
  );
}
