/** Browser mode's "save": hands a file to the browser as a download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked on the next turn: some browsers start the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A text file (a project, a report page) as a download. */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

/** A binary file (a PDF report) as a download. */
export function downloadBytes(fileName: string, bytes: Uint8Array, type: string): void {
  // A copy into a plain ArrayBuffer: Blob does not take a view of a SharedArrayBuffer.
  downloadBlob(fileName, new Blob([bytes.slice().buffer as ArrayBuffer], { type }));
}
