export interface ProgressOutput {
  write(text: string): unknown;
  /** A terminal gets one line redrawn in place; a log file or pipe gets a line every 10%. */
  isTTY?: boolean;
}

export interface DownloadStatus {
  totalSize: number;
  downloadedSize: number;
}

/** A progress bar for a model download, written to stderr so it never mixes with command output. */
export function downloadProgress(label: string, output: ProgressOutput): (status: DownloadStatus) => void {
  let lastTenth = -1;
  return ({ totalSize, downloadedSize }) => {
    const fraction = totalSize > 0 ? Math.min(1, downloadedSize / totalSize) : 0;
    const line = `${label} ${bar(fraction)} ${Math.floor(fraction * 100)}% (${megabytes(downloadedSize)} of ${megabytes(totalSize)})`;
    const done = totalSize > 0 && downloadedSize >= totalSize;
    if (output.isTTY) {
      output.write(`\r${line}${done ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      output.write(`${line}\n`);
    }
  };
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
