import type { UiLanguage } from '../../language.ts';
import { de, type Messages } from './de.ts';
import { en } from './en.ts';

export type { Messages };

const catalogues: Record<UiLanguage, Messages> = { de, en };

export function messagesFor(language: UiLanguage): Messages {
  return catalogues[language];
}
