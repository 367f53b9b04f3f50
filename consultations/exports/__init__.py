"""Word (.docx) exports of what LI sends on: ratified policy submissions for an NPF
consultation, and the motions LI sends to Conference.

- `content`: the plain description of one document (sections and entries), no Django.
- `cms.xmlsafe` (moved there so apps below consultations, such as amendments, can use it): the one
  rule for characters a .docx (XML 1.0) cannot hold.
- `richtext`: Wagtail rich text (HTML) to Word paragraphs and runs.
- `render`: the document itself (cover, table of contents, sections, footer).
- `selectors`: what is ready to export, read from the workflow engine.
- `services`: export jobs (run, mark as sent).
"""
