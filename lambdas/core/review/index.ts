export { type MachineReviewInput, machineReviewItems, withReviewItems } from './items';
export {
  escapeHtml,
  KIND_LABELS,
  type ReviewPageOptions,
  renderReviewPage,
  reviewCounts,
  reviewOrder,
  sourceLineHref,
  translatedHref,
} from './page';
