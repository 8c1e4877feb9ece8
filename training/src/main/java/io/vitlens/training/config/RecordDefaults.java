package io.vitlens.training.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.ValueInstantiators;
import com.fasterxml.jackson.databind.deser.impl.PropertyValueBuffer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/**
 * Lets Jackson bind a config record through its canonical constructor while a key the YAML leaves out takes the
 * value of that record's defaults instance (Jackson alone passes 0, false or null). The record's constructor then
 * validates the whole, so a config section is bound once, straight into the immutable record the code uses.
 */
final class RecordDefaults extends SimpleModule {
    private final Map<Class<?>, ? extends Record> defaults;

    /** @param defaults for each record class, the instance whose components are the values of absent keys */
    RecordDefaults(Map<Class<?>, ? extends Record> defaults) {
        super("vit-lens config defaults");
        this.defaults = Map.copyOf(defaults);
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addValueInstantiators(new ValueInstantiators.Base() {
            @Override
            public ValueInstantiator findValueInstantiator(DeserializationConfig config, BeanDescription bean, ValueInstantiator standard) {
                Record d = defaults.get(bean.getBeanClass());
                return d == null ? standard : new WithDefaults(standard, d);
            }
        });
    }

    /** The standard record instantiator, with the defaults' component values for the constructor arguments not in the input. */
    private static final class WithDefaults extends ValueInstantiator.Delegating {
        private final Record defaults;

        WithDefaults(ValueInstantiator standard, Record defaults) {
            super(standard);
            this.defaults = defaults;
        }

        @Override
        public ValueInstantiator createContextual(DeserializationContext ctxt, BeanDescription bean) throws com.fasterxml.jackson.databind.JsonMappingException {
            ValueInstantiator d = delegate().createContextual(ctxt, bean);
            return d == delegate() ? this : new WithDefaults(d, defaults);
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, SettableBeanProperty[] props, PropertyValueBuffer buffer) throws IOException {
            RecordComponent[] components = defaults.getClass().getRecordComponents();
            Object[] args = new Object[components.length];
            for (SettableBeanProperty p : props) {
                int i = p.getCreatorIndex();
                args[i] = buffer.hasParameter(p) ? buffer.getParameter(p) : component(components[i]);
            }
            return delegate().createFromObjectWith(ctxt, args);
        }

        private Object component(RecordComponent c) {
            try {
                return c.getAccessor().invoke(defaults);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c + " of " + defaults, e);
            }
        }
    }
}
