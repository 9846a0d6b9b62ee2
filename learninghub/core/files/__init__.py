"""Uploaded files, for every app: what a file really is, and how it is kept at rest.

`checks` opens an upload for real (a PDF parser, the Word package's content types, the OLE2
container of older Word files) and refuses what is not what its name says, with a message a
person can act on. `encryption` seals stored bytes with the key that protects identifying
details (core/crypto.py), so a copy of the storage reveals nothing. `models` keeps a file and
its versions for any app's record; `services.file_upload` is the one way in and
`views.file_download` the one way out, asking the owning app's rule (`registry`).
"""
