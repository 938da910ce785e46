// Import (admin, clinician): choose a file and its format, upload it (POST /api/imports?format=...), and see the
// rejection report: every row not imported with its field, value and reason. On a narrow screen (tablet portrait) the
// report's rows stack as cards, each cell labelled (data-label, styles.css), so the page never scrolls sideways.
import { useState, type FormEvent, type ReactElement } from 'react';
import { api, ApiError, problemFrom, type Problem } from '../api.js';

interface Rejection {
  readonly file: string;
  readonly row: number | string | null;
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
}

const FORMATS = [
  { value: 'fhir', label: 'FHIR R4 bundle (JSON)', contentType: 'application/json' },
  { value: 'redcap', label: 'REDCap export (CSV)', contentType: 'text/csv' },
  { value: 'csv', label: 'Stratum CSV', contentType: 'text/csv' },
] as const;

/** A rejected value as text, cut to a readable length (the full value is in the cell's title). */
const VALUE_SHOWN = 200;
function valueText(v: unknown): { shown: string; full: string } {
  const full = typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
  return { shown: full.length > VALUE_SHOWN ? `${full.slice(0, VALUE_SHOWN)}…` : full, full };
}

function rejectionsOf(v: unknown): Rejection[] {
  return Array.isArray(v) ? (v as Rejection[]) : [];
}

export function ImportPage(): ReactElement {
  const [format, setFormat] = useState<(typeof FORMATS)[number]['value']>('fhir');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [imported, setImported] = useState<number | null>(null);
  const [rejected, setRejected] = useState<Rejection[]>([]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setImported(null);
    setRejected([]);
    const contentType = FORMATS.find((f) => f.value === format)?.contentType ?? 'application/octet-stream';
    try {
      const res = await api<{ imported: number; rejected: Rejection[] }>(`/api/imports?format=${format}`, { method: 'POST', raw: { body: file, contentType } });
      setImported(res.imported);
      setRejected(rejectionsOf(res.rejected));
    } catch (error) {
      setProblem(problemFrom(error));
      if (error instanceof ApiError) setRejected(rejectionsOf(error.problem['rejected']));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>Import</h1>
      <form className="entry" onSubmit={(e) => void submit(e)}>
        <div className="row">
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as (typeof FORMATS)[number]['value'])}>
              {FORMATS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
            </select>
          </label>
          <label>
            File
            <input type="file" name="file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
        </div>
        <button type="submit" disabled={busy || !file}>{busy ? 'Uploading…' : 'Upload'}</button>
      </form>
      {problem && <p role="alert" className="problem"><strong>{problem.title}</strong>: {problem.detail}</p>}
      {imported !== null && <p role="status">Imported {imported} episode(s); {rejected.length} row(s) rejected.</p>}
      {rejected.length > 0 && (
        <div className="table-wrap">
          <table className="rejections">
            <caption>Rejection report</caption>
            <thead>
              <tr><th scope="col">File</th><th scope="col">Row</th><th scope="col">Field</th><th scope="col">Value</th><th scope="col">Reason</th></tr>
            </thead>
            <tbody>
              {rejected.map((r, i) => {
                const value = valueText(r.value);
                return (
                  <tr key={i}>
                    <td data-label="File">{r.file}</td>
                    <td data-label="Row">{r.row ?? ''}</td>
                    <td data-label="Field">{r.field}</td>
                    <td data-label="Value" title={value.full.length > VALUE_SHOWN ? value.full.slice(0, 2000) : undefined}><span className="mono">{value.shown}</span></td>
                    <td data-label="Reason">{r.reason}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
