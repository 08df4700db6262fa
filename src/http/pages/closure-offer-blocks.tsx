import type { Child } from 'hono/jsx';
import { LinkButton, SubmitButton } from './components.tsx';

// What a replacement offer (after a closure) and a waiting-list offer show alike: the button that
// takes the held slot, and the end of the offer — taken, or over with a way to book anew.

/** The one POST that takes the held slot; the link in the message only shows the page. */
export function AcceptOffer({ action, label }: { action: string; label: string }) {
  return (
    <form method="post" action={action}>
      <div class="actions">
        <SubmitButton label={label} />
      </div>
    </form>
  );
}

/** A decided offer: what happened, then the appointment's facts (taken) or a link to book anew (over). */
export function DecidedOffer({ text, bookNew, children }: { text: string; bookNew?: string; children?: Child }) {
  return (
    <>
      <p class="kern-body">{text}</p>
      {children}
      {bookNew ? (
        <div class="actions">
          <LinkButton href="/" label={bookNew} />
        </div>
      ) : null}
    </>
  );
}
