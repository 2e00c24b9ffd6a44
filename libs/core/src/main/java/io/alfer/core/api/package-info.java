/**
 * The bodies of the services' REST commands that other modules send too (the command line, the
 * experiment runner): one definition each, plain records that every JSON library maps by their
 * component names.
 */
package io.alfer.core.api;
