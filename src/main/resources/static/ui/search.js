// The 'search' part of /ui/ (filled in by its feature).
'use strict';
