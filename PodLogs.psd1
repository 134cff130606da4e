@{
    RootModule           = 'PodLogs.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6b3f7f0e-2d4c-4a8e-9a51-7c0b7d1f3e21'
    Author               = 'PodLogs'
    CompanyName          = 'PodLogs'
    Copyright            = '(c) PodLogs contributors. MIT License.'
    Description          = 'Find, check and repair the chain of container log files and links kubelet and the container runtime build on a Kubernetes node.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    TypesToProcess       = @('PodLogs.types.ps1xml')
    FormatsToProcess     = @('PodLogs.format.ps1xml')
    CmdletsToExport      = @(
        'Get-PodLogDirectory'
        'Export-PodLogMetric'
        'Get-ContainerLogLink'
        'Get-ContainerLog'
        'Get-ContainerLogHandle'
        'Measure-PodLog'
        'Repair-ContainerLogLink'
        'Remove-PodLogDirectory'
        'Remove-ContainerLogLink'
        'Test-ContainerLogLink'
        'New-PodLogSampleNode'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Kubernetes', 'kubelet', 'logs', 'docker', 'containerd', 'Linux')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
