// The CLI drives Linux servers through HaInfra.Operations.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
