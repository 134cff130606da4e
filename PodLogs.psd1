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
        # The PowerShell Gallery's metadata (issue #14 item 4). ModuleVersion above is the one place the version is
        # written: Directory.Build.props reads it for the assemblies, build.ps1 Package names the .nupkg after it.
        PSData = @{
            Tags         = @('Kubernetes', 'kubelet', 'logs', 'docker', 'containerd', 'CRI', 'node', 'Linux', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/PodLogs/PodLogs'
            LicenseUri   = 'https://github.com/PodLogs/PodLogs/blob/main/LICENSE'
            ReleaseNotes = 'First release: find, check and repair the chain of container log files and links on a Kubernetes node (Get-ContainerLogLink, Test-ContainerLogLink, Repair-ContainerLogLink); read the logs from the node''s files (Get-ContainerLog); where the disk went and who holds deleted logs open (Measure-PodLog, Get-ContainerLogHandle); safe cleanup (Remove-PodLogDirectory, Remove-ContainerLogLink); records keep their views across PowerShell remoting. PowerShell 7.4 or later on Linux.'
        }
    }
}
