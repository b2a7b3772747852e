export { latestPackEvent, latestSummary, type SummaryUpdate } from './latest.js';
export {
  extractiveSummary,
  parseSummary,
  renderSummary,
  type StructuredSummary,
  summaryTemplate,
} from './structured-summary.js';
export { renderTranscriptLines, type TranscriptLine, transcriptLines } from './transcript.js';
export { type Summarizer, type SummaryUpdateInput, updateSummaryIfDue } from './update-summary.js';
