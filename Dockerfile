# The wbk image of compose.yaml: the package installed at build time (never into a read-only
# mount), the source kept beside it for `streamlit run app.py` (its pages are files).
FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir /app \
    && ln -sfn ../criteria /app/wbk/criteria \
    && rm -rf /app/build /app/*.egg-info \
    && useradd --system --home-dir /var/lib/wbk --create-home wbk
USER wbk
ENV WBK_DATA_DIR=/var/lib/wbk
