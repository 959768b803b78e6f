{{- define "vod-upload-refresh.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vod-upload-refresh.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "vod-upload-refresh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vod-upload-refresh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vod-upload-refresh.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "vod-upload-refresh.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "vod-upload-refresh.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vod-upload-refresh.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the AccessKey: the operator's, or the chart's. Refuses to render with neither. */}}
{{- define "vod-upload-refresh.secretName" -}}
{{- if .Values.credentials.existingSecret -}}
{{- .Values.credentials.existingSecret -}}
{{- else if and .Values.credentials.accessKeyId .Values.credentials.accessKeySecret -}}
{{- include "vod-upload-refresh.fullname" . -}}
{{- else -}}
{{- fail "credentials: set credentials.existingSecret, or credentials.accessKeyId and credentials.accessKeySecret" -}}
{{- end -}}
{{- end -}}
