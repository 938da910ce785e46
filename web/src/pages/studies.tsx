// The study workspace (researcher, admin): the bundled and saved specs, a YAML editor, save, run, the run's progress
// (polled), and its report (opened in a new tab from /api/studies/runs/:id/report).
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { api, problemFrom, type Problem } from '../api.js';
import { fieldMessages } from '../api.js';
import type { StudyEntry, StudyRun } from '../types.js';

export function StudiesPage(): ReactElement {
  const [specs, setSpecs] = useState<readonly StudyEntry[]>([]);
  const [selected, setSelected] = useState('');
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [run, setRun] = useState<StudyRun | null>(null);
  const timer = useRef<number | null>(null);

  const loadSpecs = () =>
    api<{ items: StudyEntry[] }>('/api/studies')
      .then((r) => {
        setSpecs(r.items);
        setSelected((prev) => {
          if (prev !== '' || r.items.length === 0) return prev;
          const first = r.items[0]!;
          setText(first.spec);
          setName(first.name);
          return first.id;
        });
      })
      .catch((e: unknown) => setProblem(problemFrom(e)));
  useEffect(() => {
    void loadSpecs();
    return () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    };
  }, []);

  function choose(id: string) {
    setSelected(id);
    const s = specs.find((x) => x.id === id);
    if (s) {
      setText(s.spec);
      setName(s.name);
    }
  }

  async function save() {
    setProblem(null);
    setMessage('');
    try {
      const saved = await api<StudyEntry>('/api/studies', { method: 'POST', json: { name, spec: text } });
      setMessage(`Saved as "${saved.name}".`);
      setSelected(saved.id);
      await loadSpecs();
    } catch (e) {
      setProblem(problemFrom(e));
    }
  }

  function poll(id: string) {
    api<StudyRun>(`/api/studies/runs/${id}`)
      .then((r) => {
        setRun(r);
        if (r.status === 'queued' || r.status === 'running') timer.current = window.setTimeout(() => poll(id), 500);
      })
      .catch((e: unknown) => setProblem(problemFrom(e)));
  }

  async function start() {
    setProblem(null);
    setMessage('');
    setRun(null);
    try {
      const r = await api<{ runId: string }>('/api/studies/runs', { method: 'POST', json: { spec: text } });
      poll(r.runId);
    } catch (e) {
      setProblem(problemFrom(e));
    }
  }

  const specErrors = [...fieldMessages(problem).entries()];
  return (
    <section>
      <h1>Studies</h1>
      <div className="row">
        <label>
          Specification
          <select value={selected} onChange={(e) => choose(e.target.value)}>
            {specs.map((s) => <option key={s.id} value={s.id}>{s.origin === 'bundled' ? 'Bundled' : 'Saved'}: {s.title || s.name}</option>)}
          </select>
        </label>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      <label className="block">
        Study specification (YAML)
        <textarea className="spec" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} rows={18} aria-describedby={specErrors.length ? 'spec-errors' : undefined} />
      </label>
      {problem && (
        <div role="alert" className="problem" id="spec-errors">
          <strong>{problem.title}</strong>: {problem.detail}
          {specErrors.length > 1 && <ul>{specErrors.map(([f, m]) => <li key={f}>{f}: {m.join('; ')}</li>)}</ul>}
        </div>
      )}
      {message && <p role="status">{message}</p>}
      <div className="buttons">
        <button type="button" onClick={() => void save()}>Save</button>
        <button type="button" onClick={() => void start()} disabled={run?.status === 'running' || run?.status === 'queued'}>Run</button>
      </div>
      {run && (
        <div className="run" role="status" aria-live="polite">
          <h2>Run: {run.title}</h2>
          <p>
            Status: <strong className={`run-status ${run.status}`}>{run.status}</strong>
          </p>
          <progress max={1} value={run.status === 'succeeded' ? 1 : run.status === 'failed' ? 0 : undefined} aria-label="Run progress" />
          <ol className="steps">
            {run.steps.map((s, i) => <li key={i}>{s.step} ({s.elapsed_s.toFixed(1)} s)</li>)}
          </ol>
          {run.error && <p className="problem">{run.error}</p>}
          {run.status === 'succeeded' && (
            <p>
              <a href={`/api/studies/runs/${run.id}/report`} target="_blank" rel="noopener noreferrer">Open the report</a>{' '}
              · <a href={`/api/studies/runs/${run.id}/results`} target="_blank" rel="noopener noreferrer">results.json</a>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
