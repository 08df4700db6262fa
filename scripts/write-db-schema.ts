// `npm run db:schema`: migrates an empty in-memory embedded database and writes its shape to
// src/db/schema.sql (test/db/schema-shape.test.ts fails until this is run after a migration).
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { dumpSchema } from '../src/db/schema-dump.ts';

const target = path.resolve(import.meta.dirname, '../src/db/schema.sql');
const database = await openDatabase({ memory: true });
try {
  await migrateToLatest(database.db);
  fs.writeFileSync(target, await dumpSchema(database.db));
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
} finally {
  await database.close();
}
