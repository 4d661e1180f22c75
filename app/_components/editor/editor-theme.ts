import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

/**
 * The editor's colours are CSS variables (editor.css), so one theme follows the page's light or dark
 * scheme without rebuilding the editor; EditorView.darkTheme (set by the controller) only tells
 * CodeMirror's own base styles which one is showing.
 */
const theme = EditorView.theme({
  '&': {
    height: '100%',
    color: 'var(--editor-fg)',
    backgroundColor: 'var(--editor-bg)',
    fontSize: '14px',
  },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    lineHeight: '1.5',
  },
  '.cm-content': { caretColor: 'var(--editor-cursor)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--editor-cursor)', borderLeftWidth: '2px' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
    { backgroundColor: 'var(--editor-selection)' },
  '.cm-gutters': {
    backgroundColor: 'var(--editor-gutter-bg)',
    color: 'var(--editor-gutter-fg)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--editor-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--editor-active-line)', color: 'var(--fg)' },
  '&.cm-focused .cm-matchingBracket': {
    backgroundColor: 'var(--editor-bracket)',
    outline: '1px solid var(--editor-gutter-fg)',
  },
  '&.cm-focused .cm-nonmatchingBracket': { color: 'var(--fail)', outline: '1px solid var(--fail)' },
  '.cm-searchMatch': {
    backgroundColor: 'var(--editor-search)',
    outline: '1px solid var(--editor-search-border)',
  },
  '.cm-searchMatch.cm-searchMatch-selected': { backgroundColor: 'var(--editor-search-selected)' },
  '.cm-selectionMatch': { backgroundColor: 'var(--editor-selection-match)' },
  '.cm-panels': { backgroundColor: 'var(--bg)', color: 'var(--fg)' },
  '.cm-panels-top': { borderBottom: '1px solid var(--border)' },
  '.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-textfield': {
    backgroundColor: 'var(--editor-bg)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
  },
  '.cm-button': {
    backgroundImage: 'none',
    backgroundColor: 'var(--code-bg)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
  },
  '.cm-specialChar': { color: 'var(--fail)' },
});

const highlight = HighlightStyle.define([
  {
    tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword],
    color: 'var(--editor-keyword)',
  },
  { tag: [t.string, t.special(t.string), t.regexp, t.character], color: 'var(--editor-string)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--editor-comment)', fontStyle: 'italic' },
  { tag: [t.number, t.bool, t.atom, t.null], color: 'var(--editor-number)' },
  { tag: [t.special(t.variableName), t.self, t.escape], color: 'var(--editor-variable)' },
  {
    tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.function(t.variableName))],
    color: 'var(--editor-function)',
  },
  { tag: [t.className, t.typeName, t.definition(t.className), t.namespace], color: 'var(--editor-type)' },
  { tag: [t.tagName, t.angleBracket], color: 'var(--editor-tag)' },
  { tag: [t.propertyName, t.attributeName, t.labelName], color: 'var(--editor-property)' },
  { tag: [t.meta, t.annotation, t.processingInstruction, t.documentMeta], color: 'var(--editor-meta)' },
  { tag: t.heading, fontWeight: 'bold' },
  { tag: t.emphasis, fontStyle: 'italic' },
  { tag: t.strong, fontWeight: 'bold' },
  { tag: t.invalid, color: 'var(--fail)' },
]);

export const editorTheme: Extension = [theme, syntaxHighlighting(highlight)];
