"""Library management over the JSON API, with the same rules as the pages, so schools can script it.

`POST /api/libraries` creates a library you own; `POST /api/libraries/{name}/documents`
(multipart `files`) saves the files and answers 202 `{"job"}` while they are
ingested in the background; `GET /api/libraries/{name}/jobs/{id}` tells how far
it got; `GET /api/libraries/{name}/documents` lists what is indexed;
`DELETE /api/libraries/{name}` and `DELETE /api/libraries/{name}/documents/{doc}`
remove. Teachers manage the libraries they own, admins all of them. A library
the caller may not search is a 404, as if it did not exist; one she may search
but does not own is a 403. Upload limits are those of the pages
(limits.MAX_UPLOAD_BYTES per request, library.MAX_FILES_PER_UPLOAD files).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile
from pydantic import BaseModel, Field

from ...errors import InputError
from ...library.service import MAX_NAME_CHARS
from ..deps import ServicesDep, TeacherUser
from ..errors import WebError
from ..schemas import ErrorOut, LibraryOut
from ..transactions import CommitRoute
from .library import library_to_manage, start_upload

router = APIRouter(route_class=CommitRoute, prefix="/api/libraries", tags=["library"])

ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}}
JOB_ID_CHARS = 64


class LibraryCreate(BaseModel):
    name: str = Field(max_length=MAX_NAME_CHARS + 8)
    restricted: bool = False


class JobCreated(BaseModel):
    job: str = Field(description="The ingestion job to poll at /api/libraries/{name}/jobs/{job}.")


class JobOut(BaseModel):
    id: str
    library: str
    files: list[str]
    phase: str = Field(description="queued, read, embed, done, error, or stopped (resumes at the next start).")
    done: int
    total: int
    item: str
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    errors: list[str]
    message: str
    finished: bool


class DocumentOut(BaseModel):
    name: str
    kind: str
    chars: int
    passages: int
    added_at: str


def library_out(info) -> LibraryOut:
    return LibraryOut(name=info.name, owner=info.owner, restricted=info.restricted, documents=info.documents,
                      passages=info.passages, embedded=info.embedded)


@router.post("", status_code=201, response_model=LibraryOut,
             responses={**ERRORS, 409: {"model": ErrorOut}, 422: {"model": ErrorOut}})
def create_library(body: LibraryCreate, user: TeacherUser, services: ServicesDep):
    """Create a library that you own (restricted: only you and your learners may search it)."""
    name = body.name.strip()
    if services.library.exists(name):
        raise WebError(409, "web.error.library_exists", name=name[:80])
    info = services.library.create(name, owner=str(user.id), restricted=body.restricted)
    return library_out(info)


@router.get("/{name}/documents", response_model=list[DocumentOut], responses=ERRORS)
def list_documents(name: str, user: TeacherUser, services: ServicesDep):
    """The documents of a library you manage."""
    library_to_manage(services, user, name)
    return [DocumentOut(name=d.name, kind=d.kind, chars=d.chars, passages=d.passages, added_at=d.added_at)
            for d in services.library.documents(name)]


@router.post("/{name}/documents", status_code=202, response_model=JobCreated,
             responses={**ERRORS, 413: {"model": ErrorOut}, 422: {"model": ErrorOut}})
def upload_documents(
    name: str, request: Request, user: TeacherUser, services: ServicesDep,
    files: Annotated[list[UploadFile], File(description="The documents (PDF, DOCX, ODT, Markdown, HTML, text).")],
):
    """Save the files and ingest them in the background; poll the job for progress."""
    library_to_manage(services, user, name)
    return JobCreated(job=start_upload(services, name, files, request).id)


@router.get("/{name}/jobs/{job_id}", response_model=JobOut, responses=ERRORS)
def job_progress(name: str, job_id: str, user: TeacherUser, services: ServicesDep):
    """How far an ingestion job got (phase, done/total, outcome per file)."""
    library_to_manage(services, user, name)
    job = services.uploads.get(job_id[:JOB_ID_CHARS])
    if job is None or job.library != name:
        raise WebError(404, "web.error.job_not_found")
    return JobOut(**job.to_dict())


@router.delete("/{name}", status_code=204, response_class=Response, responses=ERRORS)
def remove_library(name: str, user: TeacherUser, services: ServicesDep):
    """Remove a whole library (a running ingestion stops with a clear message)."""
    library_to_manage(services, user, name)
    services.library.remove(name)
    return Response(status_code=204)


@router.delete("/{name}/documents/{document:path}", status_code=204, response_class=Response, responses=ERRORS)
def remove_document(name: str, document: str, user: TeacherUser, services: ServicesDep):
    """Remove one document from a library you manage."""
    library_to_manage(services, user, name)
    try:
        services.library.remove(name, document)
    except InputError as exc:
        raise WebError(404, "web.error.document_not_found", document=document[:80]) from exc
    return Response(status_code=204)
