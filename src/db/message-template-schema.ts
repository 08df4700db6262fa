import type { ColumnType } from 'kysely';

// The municipality's wording of messages (#5); joined into DB in schema.ts.

export type MessageTemplateTable = {
  kind: 'closure_notice';
  language: 'de' | 'en';
  intro: string | null;
  sms: string | null;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string, Date | string>;
};

export type MessageTemplateTables = { message_template: MessageTemplateTable };
