// Import (admin, clinician): choose a file and its format, upload it (POST /api/imports?format=...), and see the
// rejection report: every row not imported with its field, value and reason.
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
              {rejected.map((r, i) => (
                <tr key={i}>
                  <td>{r.file}</td>
                  <td>{r.row ?? ''}</td>
                  <td>{r.field}</td>
                  <td>{typeof r.value === 'string' ? r.value : JSON.stringify(r.value)}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
