import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PyclawError } from '../../core/index.js';

/** Larger files would cost more memory than any model could use; read them in slices with other tools. */
export const maxTextFileBytes = 16 * 1024 * 1024;

/**
 * Files up to this size are read synchronously: through the thread pool a read waits for the pool four
 * or five times (open, stat, read, close), which costs more than reading a few hundred KB at once.
 */
const syncReadBytes = 256 * 1024;

/** How far in a NUL byte marks a file as binary (git's heuristic). */
const binarySniffBytes = 8000;

/**
 * Reads a UTF-8 text file. Binary files are refused rather than stored as artifacts: their bytes mean
 * nothing to a model, and the refusal says so plainly.
 */
export async function readTextFile(path: string, shownAs: string, signal: AbortSignal): Promise<string> {
  const bytes = await readRegularFile(path, shownAs, signal);
  if (bytes.subarray(0, binarySniffBytes).includes(0)) {
    throw new PyclawError(
      'tool.binary-file',
      `${shownAs} is a binary file (${bytes.length} bytes); fs tools read and edit text only`,
    );
  }
  return bytes.toString('utf8');
}

/**
 * The bytes of a regular file. It is opened without blocking, so a named pipe cannot hang the process,
 * and checked through the open descriptor, so a small file checked is the file read.
 */
async function readRegularFile(path: string, shownAs: string, signal: AbortSignal): Promise<Buffer> {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new PyclawError('tool.not-a-file', `${shownAs} is not a regular file`);
    if (info.size > maxTextFileBytes) {
      throw new PyclawError(
        'tool.file-too-large',
        `${shownAs} is ${info.size} bytes, more than the ${maxTextFileBytes} bytes fs tools read`,
      );
    }
    if (info.size <= syncReadBytes) return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  return readFile(path, { signal });
}
