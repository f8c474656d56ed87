namespace Mep.Funding.Programmes;

/// <summary>How long Funding's texts can be: refused beyond at the edge, and documented for every answer that shows them.</summary>
public static class ProgrammeFields
{
    /// <summary>A programme's or a cost table's code, e.g. "digitalpakt-2019".</summary>
    public const int MaxCode = 60;

    public const int MaxName = 200;

    /// <summary>Where a programme's or a table's figures come from (a council paper, a directive).</summary>
    public const int MaxSource = 2_000;

    /// <summary>Notes and reasons (a rejection's, a transfer's).</summary>
    public const int MaxNote = 2_000;

    /// <summary>Which deadline a warning or risk is about ("applicationsUntil", ...).</summary>
    public const int MaxDeadlineName = 40;

    public const double MaxPool = 100_000_000_000;
}
