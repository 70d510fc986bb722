"""DICOMweb (PS3.18) for standard viewers and PACS: STOW-RS to receive (`stow`), QIDO-RS to
search (`qido`) and WADO-RS to retrieve (`wado`) the de-identified copies, under the platform's
permissions; what they share (authentication, refusals, answers) is in `common`, the protocol
itself (media types, multipart, DICOM JSON) in `lib.dicomweb`.

- What a person may see is `imaging.visibility` (the rules of `imaging.access` across all
  cases). Anything else is 404, so that nobody learns a study exists. The originals
  (`Instance.original`) are never served here.
- Retrieval sends the stored bytes (JPEG-LS lossless, the transfer syntax of each file) when the
  client accepts them (`transfer-syntax=*` or that syntax), or uncompressed Explicit VR Little
  Endian, the standard's default; frames uncompressed (application/octet-stream) or as stored
  (image/jls). Answers are streamed, one file or frame at a time. A retrieval from abroad is
  audited with its case, once per request.
- STOW-RS takes each part through `imaging.services.receive`, as an upload would: studies wait
  unattached at the sender's hospital for a referrer to attach them. The answer is the standard
  Store Instances Response; each failure carries its Failure Reason code and, as Text Value
  (0040,A160), the reason in the sender's language.
- Authentication: a personal API token (Authorization: Bearer) or the signed-in session, with the
  CSRF token for a POST, as for the upload endpoint (imaging/tus.py).
"""
