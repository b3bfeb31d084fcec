/** Record types and table schemas: the canonical flow record, generic rows and their field types. */
package io.netanomaly.core.schema;
