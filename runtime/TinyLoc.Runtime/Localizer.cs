namespace TinyLoc.Runtime
{
    /// <summary>
    /// From raw beacon readings to a room (or x, y): the state machine of C's <c>tinyloc_runtime.c</c>, with
    /// the same arithmetic and the same bits. No allocation after construction. See runtime/README.md.
    /// </summary>
    /// <remarks>
    /// Rows at a fixed period (row k covers [t0 + (k - 1/2) P, t0 + (k + 1/2) P), t0 the reading that started
    /// the clock); a feature read in no row carries its latest value into the next FillRows rows, then takes the
    /// "not received" code; rows with no value at all are skipped and stop the clock; windows of T rows every
    /// hop rows, restarted when rows are further apart than the session gap; readings older than the row being
    /// built are dropped; a clock that goes back by more than the session gap starts afresh.
    /// </remarks>
    public sealed class Localizer
    {
        /// <summary>Readings below this (dBm), and NaN, are treated as not received.</summary>
        public const float RssiLowest = -150.0f;

        /// <summary>Readings above this (dBm) are treated as not received.</summary>
        public const float RssiHighest = 30.0f;

        private const int AgeNone = 255;

        private readonly ModelInfo _model;
        private readonly float[] _window;
        private readonly float[] _output;
        private readonly byte[] _age;
        private readonly int[] _votes;
        private uint _edgeMs;
        private uint _edgeUs;
        private uint _lastRowMs;
        private float _dx;
        private float _dy;
        private int _rows;
        private int _voteCount;
        private int _voteNext;
        private bool _clockOn;
        private bool _inSession;
        private bool _hasPosition;
        private bool _ready;

        /// <summary>A localizer for <paramref name="model"/>; its buffers are allocated here, once.</summary>
        /// <param name="model">The model (the generated class's <c>CreateLocalizer()</c> passes it).</param>
        public Localizer(ModelInfo model)
        {
            _model = model;
            _window = new float[model.Window * model.Features];
            _output = new float[model.Outputs];
            _age = new byte[model.Features];
            _votes = new int[model.Vote];
            Answer = new Answer(_output);
            Stats = new RuntimeStats();
            Forget();
        }

        /// <summary>The latest answer (valid after <see cref="Poll"/> returned true).</summary>
        public Answer Answer { get; }

        /// <summary>What was counted: unknown ids, invalid and late readings, rows, windows.</summary>
        public RuntimeStats Stats { get; }

        /// <summary>The model.</summary>
        public ModelInfo Model => _model;

        /// <summary>Forgets every reading, row, vote and position; keeps the counters.</summary>
        public void Reset() => Forget();

        /// <summary>A reading of beacon <paramref name="id"/> (compared ordinally with the model's feature names).</summary>
        /// <param name="id">The beacon id.</param>
        /// <param name="rssi">The reading in dBm.</param>
        /// <param name="timeMs">The caller's clock in milliseconds (any origin, wrapping).</param>
        public void Push(string id, float rssi, uint timeMs) => PushFeature(id == null ? -1 : _model.FeatureOf(id), rssi, timeMs);

        /// <summary>A reading of model input <paramref name="feature"/> (0 .. F - 1).</summary>
        /// <param name="feature">The feature index.</param>
        /// <param name="rssi">The reading in dBm.</param>
        /// <param name="timeMs">The caller's clock in milliseconds.</param>
        public void PushFeature(int feature, float rssi, uint timeMs)
        {
            int state = Advance(timeMs);
            if (feature < 0 || feature >= _model.Features)
            {
                Stats.UnknownIds = RuntimeStats.Count(Stats.UnknownIds);
                return;
            }

            if (!(rssi >= RssiLowest && rssi <= RssiHighest))
            {
                Stats.Invalid = RuntimeStats.Count(Stats.Invalid);
                return;
            }

            if (state < 0)
            {
                Stats.Late = RuntimeStats.Count(Stats.Late);
                return;
            }

            if (state == 0)
            {
                StartClock(timeMs);
            }

            _window[_rows * _model.Features + feature] = rssi;
            _age[feature] = 0;
        }

        /// <summary>Displacement (metres, the model's axes) since the previous call, e.g. from dead reckoning.</summary>
        /// <param name="dx">Along x.</param>
        /// <param name="dy">Along y.</param>
        /// <param name="timeMs">The caller's clock in milliseconds.</param>
        public void PushMotion(float dx, float dy, uint timeMs)
        {
            Advance(timeMs);
            if (!(dx - dx == 0.0f) || !(dy - dy == 0.0f))
            {
                Stats.Invalid = RuntimeStats.Count(Stats.Invalid);
                return;
            }

            _dx += dx;
            _dy += dy;
        }

        /// <summary>Advances the clock; true when a new answer is ready (read it from <see cref="Answer"/>).</summary>
        /// <param name="timeMs">The caller's clock in milliseconds.</param>
        /// <returns>Whether <see cref="Answer"/> changed since the last poll.</returns>
        public bool Poll(uint timeMs)
        {
            Advance(timeMs);
            if (!_ready)
            {
                return false;
            }

            _ready = false;
            return true;
        }

        private long SinceEdgeUs(uint timeMs) => (long)unchecked((int)(timeMs - _edgeMs)) * 1000 - _edgeUs;

        private void MoveEdge(uint us)
        {
            uint part = _edgeUs + us % 1000u;
            _edgeMs = unchecked(_edgeMs + us / 1000u + part / 1000u);
            _edgeUs = part % 1000u;
        }

        private void StartClock(uint timeMs)
        {
            _edgeMs = timeMs;
            _edgeUs = 0;
            MoveEdge(_model.PeriodUs / 2u);
            _clockOn = true;
            Stats.ClockStarts = RuntimeStats.Count(Stats.ClockStarts);
        }

        private void Copy(int to, int from, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _window[to + i] = _window[from + i];
            }
        }

        private int ClassOf()
        {
            ModelInfo m = _model;
            int best = 0;
            if (m.OutputKind == OutputKinds.Path)
            {
                float tag = _output[m.Outputs - 1];
                best = tag >= 0.0f && tag < 32767.0f ? (int)tag : -1; // a tag, as a whole number
            }
            else
            {
                for (int i = 1; i < m.Outputs; i++)
                {
                    if (_output[i] > _output[best])
                    {
                        best = i;
                    }
                }
            }

            _votes[_voteNext] = best;
            _voteNext = (_voteNext + 1) % m.Vote;
            if (_voteCount < m.Vote)
            {
                _voteCount++;
            }

            // Newest first, so that on equal counts the most recent class wins.
            int most = 0;
            for (int i = 1; i <= _voteCount; i++)
            {
                int c = _votes[(_voteNext + m.Vote - i) % m.Vote];
                int n = 0;
                for (int j = 1; j <= _voteCount; j++)
                {
                    n += _votes[(_voteNext + m.Vote - j) % m.Vote] == c ? 1 : 0;
                }

                if (n > most)
                {
                    most = n;
                    best = c;
                }
            }

            return best;
        }

        private void AnswerWindow(uint rowMs)
        {
            ModelInfo m = _model;
            m.Predict(_window, _output);
            Stats.Windows = RuntimeStats.Count(Stats.Windows);
            Answer.TimeMs = rowMs;
            Answer.Label = -1;
            if (m.OutputKind == OutputKinds.Classes || m.OutputKind == OutputKinds.Path)
            {
                Answer.Label = ClassOf();
            }
            else if (m.OutputKind == OutputKinds.Position)
            {
                if (_hasPosition)
                {
                    float keep = 1.0f - m.Alpha;
                    Answer.X = m.Alpha * _output[0] + keep * (Answer.X + _dx);
                    Answer.Y = m.Alpha * _output[1] + keep * (Answer.Y + _dy);
                }
                else
                {
                    Answer.X = _output[0];
                    Answer.Y = _output[1];
                    _hasPosition = true;
                }

                _dx = 0.0f;
                _dy = 0.0f;
            }

            _ready = true;
        }

        private void AddRow(uint rowMs)
        {
            ModelInfo m = _model;
            int f = m.Features;
            if (_inSession && unchecked((int)(rowMs - _lastRowMs)) > (int)m.SessionGapMs)
            {
                Copy(0, _rows * f, f);
                _rows = 0;
                _inSession = false;
            }

            if (!_inSession)
            {
                _inSession = true;
                Stats.Sessions = RuntimeStats.Count(Stats.Sessions);
            }

            _lastRowMs = rowMs;
            _rows++;
            Stats.Rows = RuntimeStats.Count(Stats.Rows);
            if (_rows == m.Window)
            {
                int keep = m.Window - m.Hop;
                AnswerWindow(rowMs);
                Copy(0, m.Hop * f, keep * f);
                _rows = keep;
                // The new row starts from the last one (whose slot is keep - 1 now, or still window - 1).
                Copy(_rows * f, (keep > 0 ? keep - 1 : m.Window - 1) * f, f);
            }
            else
            {
                Copy(_rows * f, (_rows - 1) * f, f);
            }
        }

        private void CloseRow()
        {
            ModelInfo m = _model;
            int row = _rows * m.Features;
            bool any = false, fillable = false;
            uint half = m.PeriodUs / 2u;
            uint centreMs = unchecked(_edgeMs - half / 1000u - (_edgeUs < half % 1000u ? 1u : 0u));
            for (int f = 0; f < m.Features; f++)
            {
                if (_age[f] <= m.FillRows)
                {
                    any = true;
                }
                else
                {
                    _window[row + f] = m.Missing;
                }
            }

            if (any)
            {
                AddRow(centreMs);
            }
            else
            {
                Stats.EmptyRows = RuntimeStats.Count(Stats.EmptyRows);
            }

            for (int f = 0; f < m.Features; f++)
            {
                if (_age[f] < AgeNone)
                {
                    _age[f]++;
                }

                fillable |= _age[f] <= m.FillRows;
            }

            if (fillable)
            {
                MoveEdge(m.PeriodUs);
            }
            else
            {
                _clockOn = false;
            }
        }

        private void Forget()
        {
            for (int f = 0; f < _model.Features; f++)
            {
                _age[f] = AgeNone;
            }

            _rows = 0;
            _inSession = false;
            _clockOn = false;
            _hasPosition = false;
            _ready = false;
            _voteCount = 0;
            _voteNext = 0;
            _dx = 0.0f;
            _dy = 0.0f;
        }

        // 1: a reading at timeMs belongs to the row being built; -1: it is older than that row; 0: the clock is
        // stopped (or just went back by more than the session gap: then everything is forgotten).
        private int Advance(uint timeMs)
        {
            ModelInfo m = _model;
            if (!_clockOn)
            {
                return 0;
            }

            long since = SinceEdgeUs(timeMs);
            if (since < -(long)m.PeriodUs - (long)m.SessionGapMs * 1000)
            {
                Forget();
                return 0;
            }

            if (since < -(long)m.PeriodUs)
            {
                return -1;
            }

            while (_clockOn && since >= 0)
            {
                CloseRow();
                since = SinceEdgeUs(timeMs);
            }

            return _clockOn ? 1 : 0;
        }
    }
}
