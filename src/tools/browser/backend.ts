/** Where a session's tab is and what it shows. */
export interface PageSummary {
  url: string;
  title: string;
}

/** One element the model can act on, named by a ref that stays valid until the page changes. */
export interface PageElement {
  ref: string;
  role: string;
  name: string;
  value?: string;
  checked?: boolean;
  disabled?: boolean;
}

export interface PageSnapshot extends PageSummary {
  elements: PageElement[];
}

export interface Screenshot {
  bytes: Buffer;
  mime: string;
}

/**
 * What the browser tools need from a browser. Each PyClaw session has its own tab, named by the
 * session id; `open` creates it, every other call fails plainly when the session has none yet.
 */
export interface BrowserBackend {
  /** Which backend this is, for messages. */
  readonly kind: string;
  open(session: string, url: string, signal: AbortSignal): Promise<PageSummary & { status?: number }>;
  snapshot(session: string, signal: AbortSignal): Promise<PageSnapshot>;
  click(session: string, ref: string, signal: AbortSignal): Promise<PageSummary>;
  /** Replaces the element's value with `text`, then presses Enter when `submit`. */
  type(
    session: string,
    ref: string,
    text: string,
    submit: boolean,
    signal: AbortSignal,
  ): Promise<PageSummary>;
  text(session: string, signal: AbortSignal): Promise<PageSummary & { text: string }>;
  screenshot(session: string, fullPage: boolean, signal: AbortSignal): Promise<Screenshot>;
  /** Closes every tab and whatever the backend started; safe to call twice. */
  close(): Promise<void>;
}
