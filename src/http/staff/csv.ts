// CSV as German Excel opens it with a double click: UTF-8 with BOM (else umlauts break),
// ';' as separator (',' is the decimal mark), CRLF line ends.

/** Cells starting with these are run as formulas by spreadsheet programs (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
}

/**
 * The headers of a CSV download. The file name is built from request values (an office or service
 * id), and a header may carry only Latin-1 without quotes: anything else becomes '_' instead of an
 * exception in the middle of the answer.
 */
export function csvDownloadHeaders(filename: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  };
}
