#Requires -Version 7.4
# Get-Help for every exported cmdlet, checked against the code: a cmdlet, a parameter, an output type
# or an ErrorId (a constant of PodLogs.Core.ErrorIds) added without help makes a test fail, and so does help for a parameter the cmdlet does
# not have. The cases are built from Get-Command at discovery, so new code gets new cases by itself.

BeforeDiscovery {
    function Get-PodLogsErrorIds {
        $cmdletAssembly = (Get-Command Get-ContainerLogLink -Module PodLogs).ImplementingType.Assembly
        $coreName = $cmdletAssembly.GetReferencedAssemblies() | Where-Object Name -EQ 'PodLogs.Core'
        $core = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdletAssembly).LoadFromAssemblyName($coreName)
        $catalog = $core.GetType('PodLogs.Core.ErrorIds', $true)
        foreach ($area in $catalog.GetNestedTypes()) {
            foreach ($field in $area.GetFields([System.Reflection.BindingFlags] 'Public, Static')) {
                if ($field.IsLiteral -and $field.FieldType -eq [string]) { [pscustomobject]@{ Area = $area.Name; Name = $field.Name; Id = $field.GetRawConstantValue() } }
            }
        }
    }

    $modulePath = if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }
    Import-Module $modulePath -Force

    # Common parameters are documented by PowerShell itself; WhatIf and Confirm are ours to document.
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'

    $cmdletCases = @(Get-Command -Module PodLogs -CommandType Cmdlet | Sort-Object Name | ForEach-Object {
            @{
                Name       = $_.Name
                Parameters = @($_.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object | ForEach-Object { @{ Parameter = $_ } })
            }
        })

    # Every ErrorId the module can raise: the constants of PodLogs.Core.ErrorIds, one nested class per area, read
    # by reflection from the Core assembly the cmdlets themselves bind to (the assembly load context of PodLogs.dll,
    # which the private dependency context defers PodLogs.Core to).
    $errorIdCases = @(Get-PodLogsErrorIds | ForEach-Object { @{ ErrorId = $_.Id; Area = $_.Area } })
}

BeforeAll {
    $modulePath = if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }
    Import-Module $modulePath -Force
    $module = Get-Module PodLogs

    function Get-Text($node) {
        # Help text nodes are arrays of objects with a Text property (maml:para), or plain strings.
        (@($node) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n"
    }
}

Describe 'The PodLogs help file' {
    BeforeAll {
        $helpPath = Join-Path $module.ModuleBase 'en-US/PodLogs.dll-Help.xml'
    }

    It 'ships beside the module' {
        $helpPath | Should -Exist
    }

    It 'is well-formed MAML' {
        $xml = [xml](Get-Content $helpPath -Raw)
        $xml.helpItems.schema | Should -Be 'maml'
        $xml.helpItems.command | Should -Not -BeNullOrEmpty
    }

    It 'is complete: every shared parameter description was put in (nothing of the help sources is left)' {
        # build.ps1 writes it from src/PodLogs/en-US (Expand-Help.ps1): <podlogs:parameter/> references to shared-parameters.xml,
        # <podlogs:error/> references to shared-errors.xml.
        Get-Content $helpPath -Raw | Should -Not -Match 'podlogs:'
    }

    It 'is what its sources give, byte for byte, every time' {
        # build.ps1 Build runs the same script; the shipped file must not be stale, and two runs must agree.
        $expand = Join-Path $PSScriptRoot '../../src/PodLogs/en-US/Expand-Help.ps1'
        foreach ($n in 1, 2) { & $expand -Destination (Join-Path $TestDrive "help-$n.xml") }
        $shipped = (Get-FileHash $helpPath -Algorithm SHA256).Hash
        (Get-FileHash (Join-Path $TestDrive 'help-1.xml') -Algorithm SHA256).Hash | Should -Be $shipped
        (Get-FileHash (Join-Path $TestDrive 'help-2.xml') -Algorithm SHA256).Hash | Should -Be $shipped
    }

    It 'documents only cmdlets the module exports' {
        $xml = [xml](Get-Content $helpPath -Raw)
        $documented = @($xml.helpItems.command | ForEach-Object { $_.details.name.Trim() })
        $exported = @((Get-Command -Module PodLogs -CommandType Cmdlet).Name)
        $documented | Where-Object { $_ -notin $exported } | Should -BeNullOrEmpty
    }

    It 'the module exports cmdlets to check' {
        @(Get-Command -Module PodLogs -CommandType Cmdlet).Count | Should -BeGreaterThan 0
    }
}

Describe 'Get-Help <Name>' -ForEach $cmdletCases {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name -Module PodLogs
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'
        $helpParameters = @($help.parameters.parameter | Where-Object { $_ })
    }

    It 'has a synopsis written for it' {
        # Without MAML help, PowerShell puts the syntax line in the synopsis.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name *"
        $help.Synopsis | Should -Not -BeLike '*<CommonParameters>*'
    }

    It 'has a description' {
        Get-Text $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code' {
        $examples = @($help.examples.example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterThan 0
        $examples | Where-Object { [string]::IsNullOrWhiteSpace($_.code) } | Should -BeNullOrEmpty
    }

    It 'gives every example a title and remarks' {
        foreach ($example in @($help.examples.example | Where-Object { $_ })) {
            $example.title | Should -Match '\w'
            Get-Text $example.remarks | Should -Not -BeNullOrEmpty -Because "example '$($example.title.Trim(' -'))' needs an explanation"
        }
    }

    It 'has notes' {
        Get-Text $help.alertSet.alert | Should -Not -BeNullOrEmpty
    }

    It 'documents every output type the cmdlet declares' {
        $documented = @($help.returnValues.returnValue | ForEach-Object { $_.type.name.Trim() })
        foreach ($type in $command.OutputType) {
            $documented | Should -Contain $type.Name
        }
    }

    It 'documents an input type' {
        @($help.inputTypes.inputType | ForEach-Object { $_.type.name } | Where-Object { $_ }) | Should -Not -BeNullOrEmpty
    }

    It 'documents no parameter the cmdlet lacks' {
        $helpParameters.name | Where-Object { -not $command.Parameters.ContainsKey($_) } | Should -BeNullOrEmpty
    }

    It 'has one syntax block per parameter set, with the same parameters' {
        $syntax = @($help.syntax.syntaxItem | ForEach-Object { , @(@($_.parameter) | Where-Object { $_ } | ForEach-Object name | Sort-Object) })
        $sets = @($command.ParameterSets | ForEach-Object { , @($_.Parameters.Name | Where-Object { $_ -notin $common } | Sort-Object) })
        $syntax.Count | Should -Be $sets.Count
        foreach ($set in $sets) {
            $match = $syntax | Where-Object { ($_ -join ',') -eq ($set -join ',') }
            $match | Should -Not -BeNullOrEmpty -Because "the parameter set ($($set -join ', ')) needs a syntax block"
        }
    }

    Context 'parameter -<Parameter>' -ForEach $Parameters {
        BeforeAll {
            $doc = $helpParameters | Where-Object name -EQ $Parameter
            $code = $command.Parameters[$Parameter]
            $inSets = @($command.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -EQ $Parameter })
        }

        It 'has a description' {
            $doc | Should -Not -BeNullOrEmpty -Because "-$Parameter of $Name needs help"
            Get-Text $doc.description | Should -Match '\w'
        }

        It 'is documented with the type, position, pipeline input, wildcards and aliases it has in code' {
            $doc | Should -Not -BeNullOrEmpty
            $doc.type.name | Should -Be $code.ParameterType.FullName
            $doc.required | Should -Be ([bool]($inSets | Where-Object IsMandatory)).ToString().ToLower()
            $positions = @($inSets | Where-Object Position -GE 0 | ForEach-Object Position | Select-Object -Unique)
            $doc.position | Should -Be $(if ($positions.Count) { "$($positions[0])" } else { 'named' })
            ($doc.pipelineInput -match 'ByValue') | Should -Be ([bool]($inSets | Where-Object ValueFromPipeline))
            ($doc.pipelineInput -match 'ByPropertyName') | Should -Be ([bool]($inSets | Where-Object ValueFromPipelineByPropertyName))
            $wildcards = [bool]($code.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $doc.globbing | Should -Be $wildcards.ToString().ToLower()
            $documentedAliases = @($doc.aliases -split ',\s*' | Where-Object { $_ -and $_ -ne 'none' } | Sort-Object)
            ($documentedAliases -join ',') | Should -Be ((@($code.Aliases) | Sort-Object) -join ',')
        }
    }
}

Describe 'ErrorIds in PodLogs.Core.ErrorIds' {
    BeforeAll {
        $notes = (Get-Command -Module PodLogs -CommandType Cmdlet | ForEach-Object { Get-Text (Get-Help $_.Name -Full).alertSet.alert }) -join "`n"
    }

    It 'the catalog was found by reflection (<Count> ErrorIds in <Areas> areas)' -ForEach @(@{ Count = $errorIdCases.Count; Areas = @($errorIdCases.Area | Select-Object -Unique).Count }) {
        # Were the reflection to find nothing, no case below would run and nothing would be checked.
        $Count | Should -BeGreaterThan 50
        $Areas | Should -BeGreaterThan 5
    }

    It '<ErrorId> (<Area>) is explained in the notes of a cmdlet' -ForEach $errorIdCases {
        $notes | Should -Match "(?m)^$ErrorId\: " -Because "users see $ErrorId in `$Error and need to know what it means"
    }
}
