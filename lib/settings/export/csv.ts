// RFC 4180 CSV cells and lines for the data export: comma-separated, CRLF line ends, a cell
// quoted when it holds a comma, a quote or a line break. Null is an empty cell.

// A text cell starting like a formula would run as one when a spreadsheet opens the file (CSV
// injection): such a cell gets a leading apostrophe. Only text: numbers are written as numbers,
// so a negative reading stays a number.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = FORMULA_START.test(value) ? `'${value}` : value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    text = String(value);
  else text = JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
