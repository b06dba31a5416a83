# The image of every codepanel Lambda function: the orchestrator, each reviewer and the HTTP trigger
# run this one image with a different command (ImageConfig in template.yaml). It is a container
# image rather than a zip because the orchestrator clones repositories with git, which Lambda's
# Python runtime lacks; see docs/deploy.md. `sam build` builds it (Docker must be running).
FROM public.ecr.aws/lambda/python:3.13
# checkov:skip=CKV_DOCKER_2: Lambda runs and stops the container itself and ignores HEALTHCHECK
# checkov:skip=CKV_DOCKER_3: Lambda runs the function as its own unprivileged user, whatever USER says

# git for the orchestrator's shallow clones (AL2023: dnf is microdnf here).
RUN dnf install -y git && dnf clean all && rm -rf /var/cache/dnf

# The project itself: the framework, the built-in reviewers package and its reviewers.yaml, and
# the folder named by cloud.plugins_dir in reviewers.yaml, if any (passed by the template).
# .dockerignore keeps local state (.git, venvs, .codepanel, .aws-sam) out of the context.
ARG PLUGINS_DIR=""
COPY . /tmp/codepanel-src
RUN pip install --no-cache-dir /tmp/codepanel-src \
    && if [ -n "$PLUGINS_DIR" ]; then \
        mkdir -p /opt/codepanel && cp -r "/tmp/codepanel-src/$PLUGINS_DIR" /opt/codepanel/plugins; \
    fi \
    && rm -rf /tmp/codepanel-src

# The command is set per function by the template; this default is the reviewer handler.
CMD ["framework.run.reviewer_handler.handler"]
