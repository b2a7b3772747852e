import { PyclawError } from '../../core/index.js';
import type { PageElement, PageSnapshot } from './backend.js';

/** ARIA roles a user can click, type into or pick from: what a snapshot lists. */
export const interactiveRoles: ReadonlySet<string> = new Set([
  'button',
  'checkbox',
  'combobox',
  'link',
  'listbox',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'option',
  'radio',
  'searchbox',
  'slider',
  'spinbutton',
  'switch',
  'tab',
  'textbox',
  'treeitem',
]);

/** The snapshot as the model reads it: the page, then one line per element, `e3 textbox "Name" = "Ada"`. */
export function renderSnapshot(snapshot: PageSnapshot): string {
  const lines = snapshot.elements.map(renderElement);
  return [pageLine(snapshot), ...(lines.length > 0 ? lines : ['(no interactive elements)'])].join('\n');
}

export function pageLine(page: { url: string; title: string }): string {
  return `page: ${JSON.stringify(page.title)} at ${page.url}`;
}

function renderElement(element: PageElement): string {
  const value =
    element.value === undefined || element.value === '' ? '' : ` = ${JSON.stringify(element.value)}`;
  const flags = [element.checked ? ' [checked]' : '', element.disabled ? ' [disabled]' : ''].join('');
  return `${element.ref} ${element.role} ${JSON.stringify(element.name)}${value}${flags}`;
}

/** Refuses a ref the last snapshot did not show, at once rather than after a timeout. */
export function requireKnownRef(known: ReadonlySet<string> | undefined, ref: string): void {
  if (known?.has(ref)) return;
  throw new PyclawError(
    'browser.unknown-ref',
    known
      ? `no element ${ref} in the last snapshot of this page`
      : `no snapshot of this page yet, so ${ref} names nothing`,
    { hint: 'take browser.snapshot and use a ref it lists' },
  );
}
