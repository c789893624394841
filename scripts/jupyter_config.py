# Jupyter configuration for this course: `cd notebooks && /usr/bin/python3 -m notebook --config=../scripts/jupyter_config.py`
# (also `jupyter lab --config=...`). It adds to your own Jupyter configuration; it does not replace it.
#
# After Jupyter saves a notebook that git tracks, if the notebook as git would store it (through the clean filter
# `ipynb-clean`, which drops outputs: scripts/ipynb-clean.mjs) is what git already has, the notebook's index entry
# is refreshed (`git add` of unchanged content stages nothing). Without this, `git status` lists a notebook you only
# ran as modified: git compares file sizes before it runs clean filters, so `git diff` is empty but `status` is not.
# A notebook whose cells you edited is left alone, and shows as modified, as it should.
import os
import subprocess


def refresh_git_index(model=None, os_path=None, contents_manager=None, **kwargs):
    if not os_path or not os_path.endswith(".ipynb"):
        return
    folder, name = os.path.split(os_path)

    def git(*args):
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=30)

    try:
        stored = git("rev-parse", "--verify", "-q", f":./{name}")  # the blob in git's index, if tracked
        if stored.returncode != 0:
            return
        cleaned = git("hash-object", f"--path={name}", name)  # the blob the clean filter makes of the saved file
        if cleaned.returncode == 0 and cleaned.stdout.strip() == stored.stdout.strip():
            git("add", "--", name)
    except (OSError, subprocess.SubprocessError):
        pass  # no git, or it hung: saving matters more than a tidy `git status`


c = get_config()  # noqa: F821 (defined by Jupyter's config loader)
c.FileContentsManager.post_save_hook = refresh_git_index
