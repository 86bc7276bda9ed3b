"""Teacher libraries: list, create, upload documents (ingested in the background), remove.

Teachers manage the libraries they own, admins all of them; anyone signed in
can list the libraries she may search (`/api/libraries`). As in the JSON API, a
library the person may not search (another teacher's restricted one) is a 404, as
if it did not exist, and one she may search but does not own is a 403 for changes. Uploads may be up to
limits.MAX_UPLOAD_BYTES per request and MAX_FILES_PER_UPLOAD files; the page
shows a progress bar (XMLHttpRequest upload progress, then the ingestion job
polled as JSON).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse

from ...errors import InputError
from ...gate.access import ADMIN
from ...i18n import t
from ..asking import visible_libraries
from ..deps import CurrentUser, PageLang, ServicesDep, TeacherUser
from ..errors import WebError
from ..i18n import request_lang
from ..limits import MAX_UPLOAD_BYTES
from ..render import render
from ..schemas import ErrorOut, LibraryOut
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/library", tags=["library"], include_in_schema=False)
api_router = APIRouter(route_class=CommitRoute, prefix="/api/libraries", tags=["library"])

MAX_FILES_PER_UPLOAD = 50


def can_manage(user, info) -> bool:
    """Admins manage every library, a teacher the ones she owns."""
    return user.role == ADMIN or (info.owner is not None and info.owner == str(user.id))


def _library_or_404(services, name: str):
    try:
        return services.library.info(name)
    except InputError as exc:
        raise WebError(404, "web.error.library_not_found", name=name[:80]) from exc


def _visible(services, user, name: str):
    """The library if `user` may search it; 404 otherwise, as if it did not exist."""
    info = _library_or_404(services, name)
    if not info.visible_to(user.id, user.role, user.teacher_id):
        raise WebError(404, "web.error.library_not_found", name=name[:80])
    return info


def _split(services, user) -> tuple[list, list]:
    """(the libraries she manages, the others she may search): a restricted library of another
    teacher is on neither list."""
    libraries = [lib for lib in services.library.list() if lib.visible_to(user.id, user.role, user.teacher_id)]
    return [lib for lib in libraries if can_manage(user, lib)], [lib for lib in libraries if not can_manage(user, lib)]


def library_to_manage(services, user, name: str):
    """The library `user` manages; 404 when she may not even see it, 403 when it is not hers."""
    info = _visible(services, user, name)
    if not can_manage(user, info):
        raise WebError(403, "web.error.library_not_yours", name=name[:80])
    return info


def _wants_json(request: Request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest" or "application/json" in request.headers.get(
        "accept", ""
    )


@router.get("")
def libraries_page(request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep):
    """The libraries you may search, with those you manage first."""
    managed, others = _split(services, user)
    return render(request, "libraries.html", lang=lang, user=user, managed=managed, others=others, error=None)


@router.post("")
def create_library(
    request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep,
    name: Annotated[str, Form(max_length=200)] = "",
    restricted: Annotated[bool, Form()] = False,
):
    """Create a library that you own."""
    try:
        services.library.create(name.strip(), owner=str(user.id), restricted=restricted)
    except InputError as exc:
        managed, others = _split(services, user)
        return render(
            request, "libraries.html", lang=lang, user=user, status_code=422, error=exc.message(lang),
            managed=managed, others=others,
        )
    return RedirectResponse(f"/library/{quote(name.strip())}", status_code=303)


@router.get("/jobs/{job_id}")
def upload_progress(job_id: str, request: Request, user: TeacherUser, services: ServicesDep):
    """Progress of an ingestion job, as JSON for the progress bar."""
    job = services.uploads.get(job_id)
    if job is None or not can_manage(user, _library_or_404(services, job.library)):
        raise WebError(404, "web.error.job_not_found")
    data = job.to_dict()
    data["label"] = t(f"web.library.phase.{job.phase}", request_lang(request), done=job.done, total=job.total)
    return JSONResponse(data)


@router.get("/{name}")
def library_page(name: str, request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep):
    """One library you may search: its documents; the upload form and removal if you manage it."""
    info = _visible(services, user, name)
    return render(
        request, "library.html", lang=lang, user=user, library=info,
        documents=services.library.documents(name), manage=can_manage(user, info),
        job=services.uploads.get(request.query_params.get("job", "")),
        max_upload_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
    )


def start_upload(services, name: str, files: list[UploadFile], request: Request):
    """Save the files of one upload and start ingesting them (413 beyond MAX_FILES_PER_UPLOAD)."""
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise WebError(413, "web.error.too_many_files", limit=MAX_FILES_PER_UPLOAD)
    lang = request_lang(request)
    job = services.uploads.save(name, [(f.filename or "document", f.file) for f in files], lang)
    services.uploads.start(job, lang)
    return job


@router.post("/{name}/upload")
def upload(
    name: str, request: Request, user: TeacherUser, services: ServicesDep,
    files: Annotated[list[UploadFile], File()],
):
    """Save the uploaded files and ingest them in the background; answers the job to poll."""
    library_to_manage(services, user, name)
    job = start_upload(services, name, files, request)
    if _wants_json(request):
        return JSONResponse(job.to_dict() | {"poll": f"/library/jobs/{quote(job.id)}"}, status_code=202)
    return RedirectResponse(f"/library/{quote(name)}?job={job.id}", status_code=303)


@router.post("/{name}/documents/remove")
def remove_document(
    name: str, user: TeacherUser, services: ServicesDep, document: Annotated[str, Form(max_length=500)] = "",
):
    """Remove one document from the library."""
    library_to_manage(services, user, name)
    try:
        services.library.remove(name, document)
    except InputError as exc:
        raise WebError(404, "web.error.document_not_found", document=document[:80]) from exc
    return RedirectResponse(f"/library/{quote(name)}", status_code=303)


@router.post("/{name}/remove")
def remove_library(name: str, user: TeacherUser, services: ServicesDep):
    """Remove the whole library."""
    library_to_manage(services, user, name)
    services.library.remove(name)
    return RedirectResponse("/library", status_code=303)


@api_router.get("", response_model=list[LibraryOut], responses={401: {"model": ErrorOut}})
def list_libraries(user: CurrentUser, services: ServicesDep):
    """The libraries you may search."""
    return [
        LibraryOut(name=lib.name, owner=lib.owner, restricted=lib.restricted, documents=lib.documents,
                   passages=lib.passages, embedded=lib.embedded)
        for lib in visible_libraries(services, user)
    ]
