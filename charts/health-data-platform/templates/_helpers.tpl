{{- define "hdp.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "hdp.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hdp.labels" -}}
{{ include "hdp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "hdp.serviceAccountName" -}}
{{- default (include "hdp.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* KEDA wants the Event Hubs namespace and storage account by name; the app gets them fully qualified. */}}
{{- define "hdp.eventHubNamespaceName" -}}
{{- first (splitList "." .Values.deviceIngest.eventHub.namespace) -}}
{{- end -}}

{{- define "hdp.storageAccountName" -}}
{{- first (splitList "." (trimPrefix "https://" .Values.deviceIngest.checkpoint.storageAccountUrl)) -}}
{{- end -}}

{{/* Where the files-mode secrets Secret is mounted: SECRETS_DIR. */}}
{{- define "hdp.secretsDir" -}}
/var/run/secrets/health-data-platform
{{- end -}}
