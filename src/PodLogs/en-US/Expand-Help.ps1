#Requires -Version 7.4
<#
.SYNOPSIS
    Writes the module's MAML help (en-US/PodLogs.dll-Help.xml) from its two sources.
.DESCRIPTION
    PodLogs.dll-Help.xml (this directory) holds each cmdlet's own help. Where a cmdlet has a parameter
    several cmdlets share (-Root, the directory overrides, -Source and its endpoints, the cluster and the
    selection parameters), it holds only a reference:
        <podlogs:parameter name="Root" />
    and shared-parameters.xml holds that parameter's one description. A paragraph of a shared description
    that is true for some cmdlets only says so: <maml:para podlogs:only="Get-ContainerLog"> or
    podlogs:except="...". A reference's other attributes (pipelineInput="False", ...) override the shared ones.

    In a syntax item every parameter is a reference: to the cmdlet's own description in its parameters
    section, with the attributes this parameter set gives it. A syntax reference to a parameter the cmdlet
    does not describe gets no description, so the help test fails for it, as it does for a parameter
    left out.

    An ErrorId note that several cmdlets give with the same meaning is written once too, in shared-errors.xml; a
    cmdlet's notes say <podlogs:error id="SelectionNotFound" /> where it goes. The output is plain MAML: nothing
    of podlogs: is left. Same sources, same bytes.
#>
[CmdletBinding()]
param(
    [string] $Source = (Join-Path $PSScriptRoot 'PodLogs.dll-Help.xml'),
    [string] $Shared = (Join-Path $PSScriptRoot 'shared-parameters.xml'),
    [string] $SharedErrors = (Join-Path $PSScriptRoot 'shared-errors.xml'),
    [Parameter(Mandatory)] [string] $Destination
)

$ErrorActionPreference = 'Stop'
$parameterBlock = '(?ms)^(?<indent>[ \t]*)<command:parameter\s[^>]*>.*?</command:parameter>'
$reference = '(?m)^(?<indent>[ \t]*)<podlogs:parameter\s+(?<attributes>[^>]*?)\s*/>'

function Get-Attributes([string] $text) {
    $attributes = [ordered]@{}
    foreach ($m in [regex]::Matches($text, '(?<name>[\w:]+)="(?<value>[^"]*)"')) { $attributes[$m.Groups['name'].Value] = $m.Groups['value'].Value }
    $attributes
}

function Get-ParameterName([string] $block) {
    [regex]::Match($block, '<maml:name>(?<n>[^<]+)</maml:name>').Groups['n'].Value
}

# Moves a block's element lines from the indentation of its first line to $indent; lines that continue a
# paragraph's text are part of the text and stay as they are.
function Set-Indent([string] $block, [string] $from, [string] $indent) {
    $lines = $block -split "`n"
    $out = foreach ($i in 0..($lines.Count - 1)) {
        $line = $lines[$i]
        if ($i -eq 0) { $indent + $line.TrimStart(' ', "`t") }
        elseif ($line.StartsWith($from) -and $line.Substring($from.Length) -match '^\s*<') { $indent + $line.Substring($from.Length) }
        else { $line }
    }
    $out -join "`n"
}

function Set-OpeningAttributes([string] $block, $overrides) {
    $opening = [regex]::Match($block, '^[ \t]*<command:parameter\s[^>]*>')
    $attributes = Get-Attributes $opening.Value
    foreach ($key in $overrides.Keys) {
        if (-not $attributes.Contains($key)) { throw "Help: '$key' is not an attribute of <command:parameter> (reference to -$(Get-ParameterName $block))." }
        $attributes[$key] = $overrides[$key]
    }
    $indent = [regex]::Match($opening.Value, '^[ \t]*').Value
    $text = $indent + '<command:parameter ' + (($attributes.Keys | ForEach-Object { "$_=`"$($attributes[$_])`"" }) -join ' ') + '>'
    $text + $block.Substring($opening.Length)
}

# A shared description's paragraphs for one cmdlet: those marked podlogs:only/except for others are left out.
function Select-Paragraphs([string] $block, [string] $cmdlet, [string[]] $cmdlets) {
    [regex]::Replace($block, '(?s)(?<lead>\n[ \t]*)?<maml:para podlogs:(?<kind>only|except)="(?<names>[^"]*)">(?<text>.*?)</maml:para>', {
            param($m)
            $names = @($m.Groups['names'].Value -split ',\s*')
            $unknown = @($names | Where-Object { $_ -notin $cmdlets })
            if ($unknown) { throw "Help: shared-parameters.xml names $($unknown -join ', '), which PodLogs.dll-Help.xml does not document." }
            $applies = ($cmdlet -in $names) -eq ($m.Groups['kind'].Value -eq 'only')
            if ($applies) { "$($m.Groups['lead'].Value)<maml:para>$($m.Groups['text'].Value)</maml:para>" } else { '' }
        })
}

$sharedText = (Get-Content $Shared -Raw) -replace "`r`n", "`n"
$sharedBlocks = @{}
foreach ($m in [regex]::Matches($sharedText, $parameterBlock)) {
    $name = Get-ParameterName $m.Value
    if ($sharedBlocks.ContainsKey($name)) { throw "Help: shared-parameters.xml describes -$name twice." }
    $sharedBlocks[$name] = @{ Text = $m.Value; Indent = $m.Groups['indent'].Value }
}

$text = (Get-Content $Source -Raw) -replace "`r`n", "`n"
$cmdlets = @([regex]::Matches($text, '<command:name>(?<n>[^<]+)</command:name>') | ForEach-Object { $_.Groups['n'].Value.Trim() })

$text = [regex]::Replace($text, '(?s)<command:command\s.*?</command:command>', {
        param($command)
        $cmdlet = [regex]::Match($command.Value, '<command:name>(?<n>[^<]+)</command:name>').Groups['n'].Value.Trim()
        $body = $command.Value

        # The parameters section: shared references become the shared descriptions.
        $body = [regex]::Replace($body, '(?s)<command:parameters>.*?</command:parameters>', {
                param($section)
                [regex]::Replace($section.Value, $reference, {
                        param($ref)
                        $attributes = Get-Attributes $ref.Groups['attributes'].Value
                        $name = $attributes['name']
                        $attributes.Remove('name')
                        $shared = $sharedBlocks[$name]
                        if (-not $shared) { throw "Help: $cmdlet refers to the shared parameter -$name, which shared-parameters.xml does not describe." }
                        $block = Select-Paragraphs $shared.Text $cmdlet $cmdlets
                        Set-OpeningAttributes (Set-Indent $block $shared.Indent $ref.Groups['indent'].Value) $attributes
                    })
            })
        $own = @{}
        $section = [regex]::Match($body, '(?s)<command:parameters>.*?</command:parameters>').Value
        foreach ($m in [regex]::Matches($section, $parameterBlock)) { $own[(Get-ParameterName $m.Value)] = @{ Text = $m.Value; Indent = $m.Groups['indent'].Value } }

        # The syntax: each parameter as the parameters section describes it, with this set's attributes.
        [regex]::Replace($body, '(?s)<command:syntax>.*?</command:syntax>', {
                param($syntax)
                [regex]::Replace($syntax.Value, $reference, {
                        param($ref)
                        $attributes = Get-Attributes $ref.Groups['attributes'].Value
                        $name = $attributes['name']
                        $attributes.Remove('name')
                        $indent = $ref.Groups['indent'].Value
                        $described = $own[$name]
                        if (-not $described) {
                            # Not described: a bare entry, which the help test reports as a parameter without help.
                            $bare = "$indent<command:parameter required=`"false`" variableLength=`"false`" globbing=`"false`" pipelineInput=`"False`" position=`"named`" aliases=`"none`">`n$indent  <maml:name>$name</maml:name>`n$indent</command:parameter>"
                            return Set-OpeningAttributes $bare $attributes
                        }
                        $block = Set-Indent $described.Text $described.Indent $indent
                        # A switch takes no value: its syntax entry has none (so the syntax line shows [-Name]).
                        $block = $block -replace '(?m)^[ \t]*<command:parameterValue [^>]*>SwitchParameter</command:parameterValue>\n', ''
                        Set-OpeningAttributes $block $attributes
                    })
            })
    })

# The ErrorId notes: each reference becomes the one shared note; a note no cmdlet refers to is an error too.
$notes = @{}
foreach ($m in [regex]::Matches(((Get-Content $SharedErrors -Raw) -replace "`r`n", "`n"), '(?m)^[ \t]*(?<para><maml:para>(?<id>\w+): .*</maml:para>)$')) {
    if ($notes.ContainsKey($m.Groups['id'].Value)) { throw "Help: shared-errors.xml explains $($m.Groups['id'].Value) twice." }
    $notes[$m.Groups['id'].Value] = $m.Groups['para'].Value
}
$used = [System.Collections.Generic.HashSet[string]]::new()
$text = [regex]::Replace($text, '(?m)^(?<indent>[ \t]*)<podlogs:error id="(?<id>\w+)" />', {
        param($ref)
        $id = $ref.Groups['id'].Value
        if (-not $notes.ContainsKey($id)) { throw "Help: PodLogs.dll-Help.xml refers to the ErrorId note $id, which shared-errors.xml does not hold." }
        $null = $used.Add($id)
        $ref.Groups['indent'].Value + $notes[$id]
    })
$unused = @($notes.Keys | Where-Object { -not $used.Contains($_) } | Sort-Object)
if ($unused) { throw "Help: shared-errors.xml explains $($unused -join ', '), which no cmdlet's help refers to." }

$text = $text -replace '\s+xmlns:podlogs="[^"]*"', ''
if ($text -match 'podlogs:') { throw "Help: '$([regex]::Match($text, '.{0,60}podlogs:.{0,60}').Value)' was left in the help." }
$null = [xml]$text
$null = New-Item -ItemType Directory (Split-Path $Destination) -Force
[IO.File]::WriteAllText($Destination, $text, [Text.UTF8Encoding]::new($false))
