"""Ledger imports by upload: the CSV and XLSX files of ``receivables import``, in one transaction."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from receivables.api.common import EngineDep
from receivables.api.idempotency import require_idempotency_key
from receivables.api.ledger_import import result_body, run_import
from receivables.api.uploads import saved_uploads
from receivables.auth import Access, Principal
from receivables.importers import RecordType
from receivables.service.dependencies import allow, get_settings

router = APIRouter(tags=["imports"])


@router.post("/imports", operation_id="import_ledger_files")
def import_ledger_files(
    request: Request,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Access.IMPORT_LEDGER))],
    key: Annotated[str, Depends(require_idempotency_key)],
    files: Annotated[list[UploadFile], File(description="CSV or XLSX files: customers, documents, ...")],
    profile: Annotated[str | None, Form(description="Mapping profile, such as generic or ibm-ar.")] = None,
    record_type: Annotated[RecordType | None, Form(description="Record type of every file.")] = None,
    skip_invalid: Annotated[bool, Form(description="Write the valid rows and report the others.")] = False,
) -> Any:
    """Import customers, documents, allocations or exchange rates; needs an ``Idempotency-Key``.

    Without ``skip_invalid`` one problem writes nothing and the answer is 422 listing every
    problem with its file, row, column and value. With it the valid rows are written and the
    answer is 200 with the problems of the rows left out.
    """
    with saved_uploads(files) as (paths, names), tempfile.TemporaryDirectory() as rejects:
        result = run_import(
            engine,
            get_settings(request).settings,
            paths,
            profile,
            record_type.value if record_type else None,
            skip_invalid,
            Path(rejects),
        )
    body = result_body(result, names)
    if result.committed:
        return body
    first = body["problems"][0] if body["problems"] else {}
    message = f"{first.get('file')}, row {first.get('row')}, {first.get('column')}: {first.get('reason')}"
    error: dict[str, Any] = {
        "code": "invalid_input",
        "message": f"{message}; nothing was written",
        "field": first.get("column"),
        "problems": [
            {"field": str(problem.get("column") or "file"), "message": _problem_text(problem)}
            for problem in body["problems"]
        ],
    }
    return JSONResponse({"error": error, "result": body}, status_code=422)


def _problem_text(problem: dict[str, Any]) -> str:
    place = f"{problem.get('file')}, row {problem.get('row')}"
    return f"{place}: {problem.get('reason')} (value {problem.get('value')!r})"
