namespace HaInfra.Operations;

/// <summary>Bad input (arguments, an outputs document, the environment): the message is complete and printed as is; exit 2, nothing changed.</summary>
public sealed class InvalidInputException(string message) : Exception(message);
