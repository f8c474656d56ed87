namespace Mep.Exports;

/// <summary>What a column's cells hold, which decides how each format writes them.</summary>
public enum ExportCellKind
{
    /// <summary>Text (also yes/no and German names of enum members): a text cell, never a formula.</summary>
    Text,

    /// <summary>An amount in EUR with two places: a number cell.</summary>
    Money,

    /// <summary>A whole number (a count, a year): a number cell without thousands separators.</summary>
    Whole,

    /// <summary>A day: a date cell in the workbook, dd.MM.yyyy in the CSV.</summary>
    Date,
}

/// <summary>One column of an export: its German header, the kind of its cells, its width in the workbook (characters).</summary>
/// <param name="Field">The API's name of the field the column shows, where an import reads the column back (the inventory).</param>
public abstract record ExportColumn(string Header, ExportCellKind Kind, double Width, string? Field)
{
    /// <summary>The API's text for a cell as this column writes it (a German name, a German day), or the text itself.</summary>
    internal virtual string ApiText(string cell) => cell;
}

/// <summary>A column and how a row fills it: a <see cref="string"/>, <see cref="decimal"/>, <see cref="int"/> or <see cref="DateOnly"/>, or null.</summary>
internal sealed record ExportColumn<TRow>(string Header, ExportCellKind Kind, double Width, string? Field, Func<TRow, object?> Value,
    Func<string, string>? ReadBack = null) : ExportColumn(Header, Kind, Width, Field)
{
    internal override string ApiText(string cell) => ReadBack is null ? cell : ReadBack(cell);
}
