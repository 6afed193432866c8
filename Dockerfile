# CPU image: installs GovQA with the bundled models, assembles the LLM and indexes the sample corpus.
#   docker build -t govqa . && docker run -p 8000:8000 -v govqa-data:/data govqa
FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*

ENV GOVQA_DATA_DIR=/data \
    GOVQA_MODEL_DIR=/models \
    GOVQA_HOST=0.0.0.0 \
    GOVQA_PORT=8000 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY govqa ./govqa
COPY knowledge_graph ./knowledge_graph
COPY ingest ./ingest
COPY eval ./eval
RUN pip install . && govqa models && govqa ingest --sample

EXPOSE 8000
VOLUME ["/data"]
CMD ["govqa", "serve"]
