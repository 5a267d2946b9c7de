"""The app's route modules, one per endpoint family; each builds an APIRouter over a ServeContext."""
