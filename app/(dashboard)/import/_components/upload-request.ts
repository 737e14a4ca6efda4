// fetch() cannot report upload progress (its request streams give no progress events and need
// HTTP/2 for a streamed body); XMLHttpRequest's `upload.onprogress` can, so the file goes this way.

export type UploadAnswer = { status: number; body: unknown };

export type UploadHandle = { done: Promise<UploadAnswer>; abort(): void };

export class UploadNetworkError extends Error {}
export class UploadAbortedError extends Error {}

/** POSTs `file` as the raw request body; `onProgress` gets the fraction sent (0–1). */
export function uploadFile(url: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadAnswer>((resolve, reject) => {
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () =>
      reject(new UploadNetworkError('The upload failed: check the connection and try again.'));
    xhr.onabort = () => reject(new UploadAbortedError('The upload was cancelled.'));
  });
  xhr.open('POST', url);
  xhr.setRequestHeader('Content-Type', 'text/csv');
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.send(file);
  return { done, abort: () => xhr.abort() };
}
