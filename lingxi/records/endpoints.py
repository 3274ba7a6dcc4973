from fastapi import APIRouter


def build_record_routers() -> list[APIRouter]:
    return []
